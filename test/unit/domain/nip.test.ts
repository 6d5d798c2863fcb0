import { describe, expect, it } from 'vitest';
import { isValidNip, nipProblem } from '../../../functions/domain/nip.js';
import { makeNip } from '../../helpers/fa3-invoice-factory.js';

describe('NIP', () => {
  it('the NIPs of the official KSeF examples are valid', () => {
    // Act / Assess
    expect(isValidNip('5265877635')).toBe(true);
    expect(isValidNip('1111111111')).toBe(true);
  });

  it('a NIP with a wrong check digit is refused and the reason says so', () => {
    // Act / Assess
    expect(isValidNip('5265877636')).toBe(false);
    expect(nipProblem('5265877636')).toBe('has a wrong check digit');
  });

  it('a NIP of the wrong shape is refused before its checksum is looked at', () => {
    // Act / Assess
    expect(nipProblem('526587763')).toBe('must be 10 digits');
    expect(nipProblem('52658776 5')).toBe('must be 10 digits');
    expect(nipProblem('0265877635')).toMatch(/first digit/);
    expect(nipProblem('5005877635')).toMatch(/second or third digit/);
  });

  it('a first nine digits whose checksum would be 10 make no valid NIP at all', () => {
    // Prepare: weights 6 5 7 2 3 4 5 6 7 over 1 2 3 4 5 6 7 8 9 sum to 230, 230 mod 11 = 10
    const candidates = Array.from({ length: 10 }, (_, d) => `123456789${d}`);
    // Act / Assess
    expect(candidates.filter(isValidNip)).toEqual([]);
  });

  it('the test factory makes distinct valid NIPs', () => {
    // Act
    const nips = Array.from({ length: 50 }, (_, i) => makeNip(i));
    // Assess
    expect(nips.every(isValidNip)).toBe(true);
    expect(new Set(nips).size).toBe(50);
  });
});
