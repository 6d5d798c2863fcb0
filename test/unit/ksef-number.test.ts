import { describe, expect, it } from 'vitest';
import {
  buildKsefNumber,
  buildReferenceNumber,
  crc8,
  hasValidNipChecksum,
  isReferenceNumberShape,
  isValidKsefNumber,
  parseKsefNumber,
} from '../../functions/domain/ksef-number.js';

describe('KSeF numbers', () => {
  it('the CRC-8 of the standard check string is the CRC-8/SMBUS check value', () => {
    // Prepare
    const bytes = Array.from('123456789', (c) => c.charCodeAt(0));
    // Act
    const crc = crc8(bytes);
    // Assess
    expect(crc).toBe(0xf4);
  });

  it('official KSeF numbers from the MF documentation pass the checksum', () => {
    expect(isValidKsefNumber('5265877635-20250826-0100001AF629-AF')).toBe(true);
    expect(isValidKsefNumber('5265877635-20250626-010080DD2B5E-26')).toBe(true);
  });

  it('a KSeF number with one changed character fails the checksum', () => {
    expect(isValidKsefNumber('5265877635-20250826-0100001AF628-AF')).toBe(false);
    expect(isValidKsefNumber('5265877635-20250826-0100001AF629-AE')).toBe(false);
  });

  it('a built KSeF number is 35 characters long, parses back and carries the right checksum', () => {
    // Act
    const number = buildKsefNumber('5265877635', '2025-08-26', '0100001AF629');
    // Assess
    expect(number).toBe('5265877635-20250826-0100001AF629-AF');
    expect(number).toHaveLength(35);
    expect(parseKsefNumber(number)).toEqual({ sellerNip: '5265877635', day: '2025-08-26', technicalPart: '0100001AF629', checksum: 'AF' });
  });

  it('a KSeF number with an impossible date or a malformed NIP is rejected', () => {
    const bad = buildKsefNumber('5265877635', '2025-08-26', '0100001AF629').replace('20250826', '20250230');
    expect(parseKsefNumber(bad)).toBeNull();
    expect(() => buildKsefNumber('0265877635', '2025-08-26', '0100001AF629')).toThrow(RangeError);
    expect(() => buildKsefNumber('5265877635', '2025-08-26', '0100001af629')).toThrow(RangeError);
  });

  it('reference numbers have the official 36-character shape with the type code in the middle', () => {
    // Act
    const ref = buildReferenceNumber('2025-05-14', 'SO', '226FB7B0003ACF9BE4C0');
    // Assess
    expect(ref).toHaveLength(36);
    expect(ref.startsWith('20250514-SO-226FB7B000-3ACF9BE4C0-')).toBe(true);
    expect(isReferenceNumberShape(ref)).toBe(true);
    expect(isReferenceNumberShape('20250514-SO-226FB7B000-3ACF9BE4C')).toBe(false);
  });

  it('the NIP check digit is verified with the official weights', () => {
    expect(hasValidNipChecksum('5265877635')).toBe(true);
    expect(hasValidNipChecksum('5265877636')).toBe(false);
  });
});
