/**
 * The queue catalogue: the five code units that together form the KSeF pipeline.
 * One job queue entry may exist per code unit.
 */
export const CODE_UNIT_IDS = [
  'send-documents',
  'process-sessions',
  'process-upo',
  'update-ledgers',
  'incoming-documents',
] as const;

export type CodeUnitId = (typeof CODE_UNIT_IDS)[number];

export interface CodeUnitDefinition {
  readonly id: CodeUnitId;
  /** The queue's name as admins know it from the KSeF settings page. */
  readonly displayName: string;
  /** What the code unit does; the default description of a new entry. */
  readonly description: string;
  /** Position in the pipeline (send → sessions → UPO → ledgers; incoming in parallel). */
  readonly order: number;
}

export const CODE_UNITS: Readonly<Record<CodeUnitId, CodeUnitDefinition>> = {
  'send-documents': {
    id: 'send-documents',
    displayName: 'Send to KSeF (Interactive Session)',
    description: 'Sends pending sales invoices (FA(3) XML) to KSeF.',
    order: 1,
  },
  'process-sessions': {
    id: 'process-sessions',
    displayName: 'Process Session (Interactive Sessions)',
    description: 'Polls KSeF sessions and records KSeF numbers or rejections.',
    order: 2,
  },
  'process-upo': {
    id: 'process-upo',
    displayName: 'Process KSeF UPO',
    description: 'Downloads and stores the official receipts (UPO).',
    order: 3,
  },
  'update-ledgers': {
    id: 'update-ledgers',
    displayName: 'Update KSeF Ledgers',
    description: 'Keeps the KSeF document ledger in step with KSeF.',
    order: 4,
  },
  'incoming-documents': {
    id: 'incoming-documents',
    displayName: 'Process Incoming KSeF Document Package',
    description: 'Fetches purchase invoices addressed to the company.',
    order: 5,
  },
};

export function isCodeUnitId(value: string): value is CodeUnitId {
  return (CODE_UNIT_IDS as readonly string[]).includes(value);
}
