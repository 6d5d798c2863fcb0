/** `formCode` values for opening sessions (README §10); note the space in `FA (3)`. */
export const FORM_CODES = {
  'FA(3)': { systemCode: 'FA (3)', schemaVersion: '1-0E', value: 'FA' },
  'FA(2)': { systemCode: 'FA (2)', schemaVersion: '1-0E', value: 'FA' },
  'FA_RR(1)': { systemCode: 'FA_RR (1)', schemaVersion: '1-1E', value: 'FA_RR' },
} as const;

export type FormCodeName = keyof typeof FORM_CODES;
