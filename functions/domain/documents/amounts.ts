/* Invoice amounts, exactly: decimal strings and whole grosze, never floats. */

/** Sums FA(3) amounts (TKwotowy: up to two decimals, may be negative) exactly, in grosze. */
export function sumAmounts(values: readonly string[]): string {
  const total = values.reduce((acc, value) => acc + toMinorUnits(value), 0n);
  return fromMinorUnits(total);
}

export function toMinorUnits(value: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(value.trim());
  if (!match) throw new RangeError(`'${value}' is not an amount with at most two decimals.`);
  const [, sign, whole, fraction = ''] = match;
  const minor = BigInt(whole as string) * 100n + BigInt(fraction.padEnd(2, '0'));
  return sign === '-' ? -minor : minor;
}

export function fromMinorUnits(minor: bigint): string {
  const negative = minor < 0n;
  const abs = negative ? -minor : minor;
  const whole = abs / 100n;
  const fraction = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}
