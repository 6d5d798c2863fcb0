import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { XmllintXsdValidator } from '../../../functions/adapters/xml/xmllint-xsd-validator.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/ksef/${name}`, import.meta.url), 'utf8');
const invoice = (n: number) => fixture('invoice-template-fa-3.xml').replace('#nip#', '5265877635').replace('#invoice_number#', String(n));

describe('XmllintXsdValidator', () => {
  const validator = new XmllintXsdValidator();
  afterAll(() => validator.close());

  it('the official FA(3) sample with its placeholders filled is valid against the FA(3) schema', async () => {
    // Act
    const result = await validator.validate('fa3', invoice(1));
    // Assess
    expect(result).toEqual({ valid: true, errors: [] });
  });

  it('an invoice with a non-numeric total is invalid and the error names the element and its line', async () => {
    // Prepare
    const broken = invoice(2).replace('<P_15>53.63</P_15>', '<P_15>abc</P_15>');
    // Act
    const result = await validator.validate('fa3', broken);
    // Assess
    expect(result.valid).toBe(false);
    expect(result.errors[0]?.message).toContain('P_15');
    expect(result.errors[0]?.line).toBe(broken.split('\n').findIndex((l) => l.includes('<P_15>')) + 1);
  });

  it('documents validated together each get their own verdict, including one that is not well-formed', async () => {
    // Prepare
    const docs = [invoice(3), '<Faktura>', invoice(4).replace('<RodzajFaktury>VAT</RodzajFaktury>', '<RodzajFaktury>XYZ</RodzajFaktury>'), invoice(5)];
    // Act
    const results = await validator.validateMany('fa3', docs);
    // Assess
    expect(results.map((r) => r.valid)).toEqual([true, false, false, true]);
    expect(results[1]?.errors[0]?.message).toMatch(/parser error/);
    expect(results[2]?.errors.map((e) => e.message).join(' ')).toContain('RodzajFaktury');
  });

  it('a UPO with the production receiver name is valid against UPO v4-3, the TEST suffix is not', async () => {
    // Prepare
    const testUpo = fixture('upo-sesja-kontekst-id-nip.xml');
    const productionUpo = testUpo.replace('Ministerstwo Finansów - środowisko testowe (TE)', 'Ministerstwo Finansów');
    // Act
    const [test, production] = await validator.validateMany('upo43', [testUpo, productionUpo]);
    // Assess
    expect(test?.valid).toBe(false);
    expect(test?.errors[0]?.message).toContain('fixed value');
    expect(production).toEqual({ valid: true, errors: [] });
  });
});
