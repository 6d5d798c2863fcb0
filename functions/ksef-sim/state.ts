/** Everything the simulator remembers, in memory, indexed so thousands of invoices stay cheap. */

export interface ContextIdentifier {
  readonly type: 'Nip' | 'InternalId' | 'NipVatUe' | 'PeppolId';
  readonly value: string;
}

export interface StatusInfo {
  readonly code: number;
  readonly description: string;
  readonly details?: readonly string[];
  readonly extensions?: Readonly<Record<string, string | null>>;
}

export interface KsefTokenRecord {
  readonly referenceNumber: string;
  readonly token: string;
  readonly context: ContextIdentifier;
  readonly author: { readonly type: 'Nip' | 'Pesel' | 'Fingerprint'; readonly value: string };
  readonly permissions: readonly string[];
  readonly description: string;
  readonly dateCreated: Date;
  status: 'Pending' | 'Active' | 'Revoking' | 'Revoked' | 'Failed';
  lastUseDate: Date | null;
}

export interface ChallengeRecord {
  readonly challenge: string;
  readonly timestamp: Date;
  readonly clientIp: string;
  used: boolean;
}

export type AuthMethodCategory = 'Token' | 'XadesSignature';

export interface AuthOperation {
  readonly referenceNumber: string;
  readonly startDate: Date;
  readonly category: AuthMethodCategory;
  readonly context: ContextIdentifier;
  readonly subject: { readonly type: 'Nip' | 'Pesel' | 'Fingerprint' | 'Token'; readonly value: string };
  readonly permissions: readonly string[];
  /** The status shown once `readyAt` has passed (100 before). */
  readonly outcome: StatusInfo;
  readonly readyAt: Date;
  /** The token reference when the login used a KSeF token (for UPO `NumerReferencyjnyTokenaKSeF`). */
  readonly tokenReference: string | null;
  /** SHA-256 of the signed AuthTokenRequest for XAdES logins (UPO `SkrotDokumentuUwierzytelniajacego`). */
  readonly authDocumentHash: string | null;
  redeemed: boolean;
  revoked: boolean;
  refreshTokenValidUntil: Date | null;
  lastTokenRefreshDate: Date | null;
}

export type InvoicingMode = 'Online' | 'Offline';

/** What the simulator read from an FA(3) document. */
export interface InvoiceFacts {
  readonly sellerNip: string;
  readonly sellerName: string | null;
  readonly buyer: { readonly type: 'Nip' | 'VatUe' | 'Other' | 'None'; readonly value: string | null; readonly name: string | null };
  readonly thirdSubjects: readonly { readonly nip: string | null; readonly name: string | null; readonly role: number }[];
  readonly invoiceNumber: string;
  /** `P_1`, `YYYY-MM-DD`. */
  readonly issueDate: string;
  /** `RodzajFaktury` as written (VAT, KOR, ZAL, ...). */
  readonly invoiceTypeCode: string;
  readonly currency: string;
  readonly netAmount: number;
  readonly vatAmount: number;
  readonly grossAmount: number;
  readonly isSelfInvoicing: boolean;
  readonly hasAttachment: boolean;
}

/** An invoice that has a KSeF number: sent by a client or seeded as a purchase invoice. */
export interface StoredInvoice {
  readonly ksefNumber: string;
  readonly xml: Buffer;
  readonly invoiceHash: string;
  readonly facts: InvoiceFacts;
  readonly formCode: { readonly systemCode: string; readonly schemaVersion: string; readonly value: string };
  readonly invoicingDate: Date;
  readonly acquisitionDate: Date;
  readonly permanentStorageDate: Date;
  readonly invoicingMode: InvoicingMode;
  readonly hashOfCorrectedInvoice: string | null;
  readonly sessionReferenceNumber: string | null;
}

export interface SessionInvoice {
  readonly ordinalNumber: number;
  readonly referenceNumber: string;
  readonly sessionReferenceNumber: string;
  readonly invoiceHash: string;
  readonly invoiceSize: number;
  readonly invoiceFileName: string | null;
  readonly invoicingDate: Date;
  readonly offlineMode: boolean;
  readonly hashOfCorrectedInvoice: string | null;
  /** The final status and result, set when processing is done (shown once `visibleAt` passes). */
  result: InvoiceResult | null;
  visibleAt: Date | null;
  /** Fault injection: keep showing 150 for this many more status reads / until this time. */
  stuckPolls: number;
  stuckUntil: Date | null;
}

export type InvoiceResult =
  | { readonly kind: 'accepted'; readonly stored: StoredInvoice }
  | { readonly kind: 'rejected'; readonly status: StatusInfo; readonly invoiceNumber: string | null; readonly invoicingMode: InvoicingMode | null };

export interface BatchPart {
  readonly ordinalNumber: number;
  readonly fileSize: number;
  readonly fileHash: string;
  uploaded: Buffer | null;
}

export interface SimSession {
  readonly kind: 'Online' | 'Batch';
  readonly referenceNumber: string;
  readonly context: ContextIdentifier;
  readonly authReference: string;
  readonly formCode: { readonly systemCode: string; readonly schemaVersion: string; readonly value: string };
  readonly key: Buffer;
  readonly iv: Buffer;
  readonly dateCreated: Date;
  readonly validUntil: Date;
  readonly offlineMode: boolean;
  readonly invoices: SessionInvoice[];
  readonly invoicesByReference: Map<string, SessionInvoice>;
  readonly invoicesByKsefNumber: Map<string, SessionInvoice>;
  dateUpdated: Date;
  closedAt: Date | null;
  /** A failure that ends the session (batch package errors, injected faults). */
  failure: StatusInfo | null;
  upoReferenceNumbers: string[];
  readonly batch: {
    readonly fileSize: number;
    readonly fileHash: string;
    readonly compressionType: 'Zip' | 'TarGz';
    readonly parts: BatchPart[];
    readonly uploadDeadline: Date;
  } | null;
  /** Promise of the session's background work (batch unpacking), for `settle()`. */
  work: Promise<void>;
}

export interface ExportJob {
  readonly referenceNumber: string;
  readonly context: ContextIdentifier;
  readonly createdAt: Date;
  readonly readyAt: Date;
  readonly key: Buffer;
  readonly iv: Buffer;
  readonly onlyMetadata: boolean;
  readonly filters: Record<string, unknown>;
  result: { readonly status: StatusInfo; readonly package: ExportPackage | null } | null;
}

export interface ExportPackage {
  readonly invoiceCount: number;
  readonly size: number;
  readonly isTruncated: boolean;
  readonly lastIssueDate: string | null;
  readonly lastInvoicingDate: string | null;
  readonly lastPermanentStorageDate: string | null;
  readonly permanentStorageHwmDate: string | null;
  readonly parts: readonly { readonly ordinalNumber: number; readonly partName: string; readonly encrypted: Buffer; readonly partSize: number; readonly partHash: string; readonly encryptedPartHash: string }[];
}

export class SimState {
  readonly ksefTokens = new Map<string, KsefTokenRecord>();
  readonly ksefTokensByReference = new Map<string, KsefTokenRecord>();
  readonly challenges = new Map<string, ChallengeRecord>();
  readonly authOperations = new Map<string, AuthOperation>();
  readonly sessions = new Map<string, SimSession>();
  readonly invoicesByKsefNumber = new Map<string, StoredInvoice>();
  /** Duplicate key `sellerNip|RodzajFaktury|P_2` → the accepted invoice. */
  readonly invoicesByDuplicateKey = new Map<string, StoredInvoice>();
  /** Invoices by the NIP of each role, for Subject1/Subject2/Subject3 queries. */
  readonly invoicesBySeller = new Map<string, StoredInvoice[]>();
  readonly invoicesByBuyer = new Map<string, StoredInvoice[]>();
  readonly invoicesByThirdSubject = new Map<string, StoredInvoice[]>();
  readonly exports = new Map<string, ExportJob>();
  /** Per-context overrides of the session invoice limit. */
  readonly maxInvoicesByContext = new Map<string, number>();

  storeInvoice(invoice: StoredInvoice): void {
    this.invoicesByKsefNumber.set(invoice.ksefNumber, invoice);
    this.invoicesByDuplicateKey.set(duplicateKey(invoice.facts), invoice);
    push(this.invoicesBySeller, invoice.facts.sellerNip, invoice);
    if (invoice.facts.buyer.type === 'Nip' && invoice.facts.buyer.value) push(this.invoicesByBuyer, invoice.facts.buyer.value, invoice);
    for (const third of invoice.facts.thirdSubjects) if (third.nip) push(this.invoicesByThirdSubject, third.nip, invoice);
  }
}

export function duplicateKey(facts: Pick<InvoiceFacts, 'sellerNip' | 'invoiceTypeCode' | 'invoiceNumber'>): string {
  return `${facts.sellerNip}|${facts.invoiceTypeCode}|${facts.invoiceNumber}`;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
