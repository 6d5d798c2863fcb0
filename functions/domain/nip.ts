/*
 * The Polish tax identifier (NIP): 10 digits, the last a checksum (weights 6 5 7 2 3 4 5 6 7, mod 11;
 * a remainder of 10 is never issued). The shape is KSeF's own pattern (README §11).
 */

const NIP_SHAPE = /^[1-9]((\d[1-9])|([1-9]\d))\d{7}$/;
const WEIGHTS = [6, 5, 7, 2, 3, 4, 5, 6, 7] as const;

/** The checksum digit of the first nine digits, or null when the remainder is 10 (no valid NIP). */
export function nipCheckDigit(firstNine: string): number | null {
  const sum = WEIGHTS.reduce((acc, weight, i) => acc + weight * Number(firstNine[i]), 0);
  const remainder = sum % 11;
  return remainder === 10 ? null : remainder;
}

export function isValidNip(value: string): boolean {
  if (!NIP_SHAPE.test(value)) return false;
  return nipCheckDigit(value.slice(0, 9)) === Number(value[9]);
}

/** Why `value` is not a valid NIP, or null when it is one. */
export function nipProblem(value: string): string | null {
  if (!/^\d{10}$/.test(value)) return 'must be 10 digits';
  if (!NIP_SHAPE.test(value)) return 'is not a NIP KSeF accepts (first digit 1-9, second or third digit not 0)';
  if (!isValidNip(value)) return 'has a wrong check digit';
  return null;
}
