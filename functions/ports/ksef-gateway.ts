/**
 * What the code units need from KSeF, shaped around their use cases (issue 4), not around the HTTP
 * API. Authentication, encryption, public keys, rate limits and retries stay inside the adapter.
 * Dates are ISO-8601 strings as KSeF gives them.
 */

/** A KSeF asynchronous status: below 200 still working, 200 done, 4xx/5xx final (550 = retry). */
export interface KsefStatus {
  readonly code: number;
  readonly description: string;
  readonly details: readonly string[];
  /** e.g. `originalKsefNumber`, `originalSessionReferenceNumber` on a 440 duplicate. */
  readonly extensions?: Readonly<Record<string, unknown>>;
}

export interface OnlineSession {
  readonly referenceNumber: string;
  readonly validUntil: string;
}

export interface InvoiceToSend {
  /** FA(3) XML, UTF-8 without BOM. */
  readonly xml: string | Uint8Array;
  readonly offlineMode?: boolean;
  /** Base64 SHA-256 of the rejected original; only for a technical correction. */
  readonly hashOfCorrectedInvoice?: string;
}

export interface SentInvoice {
  readonly invoiceReferenceNumber: string;
  readonly invoiceHash: string;
  /** True when the response was lost and the invoice was found in the session by its hash. */
  readonly reconciled: boolean;
}

export interface SessionInvoice {
  readonly ordinalNumber: number;
  readonly referenceNumber: string;
  readonly invoiceHash: string;
  readonly invoiceNumber?: string | null;
  readonly invoiceFileName?: string | null;
  readonly ksefNumber?: string | null;
  readonly acquisitionDate?: string | null;
  readonly invoicingDate: string;
  readonly invoicingMode?: string | null;
  readonly upoDownloadUrl?: string | null;
  readonly status: KsefStatus;
}

export interface UpoPage {
  readonly referenceNumber: string;
  readonly downloadUrl: string;
}

export interface SessionState {
  readonly status: KsefStatus;
  readonly dateCreated: string;
  readonly dateUpdated: string;
  readonly validUntil?: string | null;
  readonly invoiceCount?: number | null;
  readonly successfulInvoiceCount?: number | null;
  readonly failedInvoiceCount?: number | null;
  readonly upoPages: readonly UpoPage[];
}

export interface BatchInvoice {
  /** File name inside the package, e.g. `FV-2026-0001.xml`; KSeF reports it back as `invoiceFileName`. */
  readonly fileName: string;
  readonly xml: string | Uint8Array;
}

/** KSeF's batch rules (README §5): at most 50 parts of at most 100 MB (before encryption), 5 GB in all. */
export const BATCH_LIMITS = { maxParts: 50, maxPartBytes: 100_000_000, maxPackageBytes: 5_000_000_000 } as const;

/** Every part of a batch may be uploaded within 20 minutes a part from the open (README §5). */
export const BATCH_UPLOAD_WINDOW_PER_PART_MS = 20 * 60_000;

/** What `onOpened` learns when KSeF has opened a batch session, before any part is uploaded. */
export interface OpenedBatch {
  readonly partCount: number;
  /**
   * The end of the upload window by this client's clock (README §5: 20 minutes a part from the
   * open). After it KSeF refuses the close (21208) and cancels the session (440).
   */
  readonly uploadDeadline: string;
}

export interface BatchOptions {
  readonly offlineMode?: boolean;
  readonly compression?: 'Zip' | 'TarGz';
  /**
   * Called once the session is open and before any part is uploaded: persist the reference here.
   * If it throws, nothing is uploaded and the session is never closed (KSeF cancels it, 440), and
   * `sendBatch` fails with stage `before-close`.
   */
  readonly onOpened?: (sessionReferenceNumber: string, opened: OpenedBatch) => Promise<void>;
}

/**
 * How far a failed `sendBatch` got. README §5: KSeF processes a batch session only after
 * `POST /sessions/batch/{ref}/close`; a session never closed is cancelled (440) with nothing in it.
 * So only `close-unknown` can leave invoices in KSeF:
 * - `before-open`: no session was opened (refused, or the request never left);
 * - `open-unknown`: the open request's outcome is unknown: a session may exist whose reference
 *   nobody learnt, so nothing can be uploaded to it or close it;
 * - `before-close`: the session is open (its reference known) but the close was never sent
 *   (an upload failed, `onOpened` threw, the run was aborted);
 * - `close-refused`: KSeF refused the close (e.g. 21205 a part missing, 21208 window exceeded);
 * - `close-unknown`: the close was sent and its outcome is unknown: the batch may be processed.
 */
export const BATCH_FAILURE_STAGES = ['before-open', 'open-unknown', 'before-close', 'close-refused', 'close-unknown'] as const;
export type BatchFailureStage = (typeof BATCH_FAILURE_STAGES)[number];

/** Whether KSeF may process (some of) a batch that failed at this stage. */
export function batchMayBeProcessed(stage: BatchFailureStage): stage is 'close-unknown' {
  return stage === 'close-unknown';
}

export interface SentBatch {
  readonly sessionReferenceNumber: string;
  /** fileName → base64 SHA-256 of the XML, to match KSeF's per-invoice results. */
  readonly invoiceHashes: Readonly<Record<string, string>>;
  readonly partCount: number;
}

export interface XmlDocument {
  readonly xml: string;
  /** `x-ms-meta-hash` as KSeF sent it, when it did. */
  readonly hash?: string;
}

export type KsefSubjectType = 'Subject1' | 'Subject2' | 'Subject3' | 'SubjectAuthorized';
export type KsefDateType = 'Issue' | 'Invoicing' | 'PermanentStorage';

export interface InvoiceMetadataQuery {
  readonly subjectType: KsefSubjectType;
  readonly dateType: KsefDateType;
  readonly from: string;
  readonly to?: string;
  /** Stop after this many records (the metadata endpoint allows only 20 calls an hour). */
  readonly maxRecords?: number;
}

export interface KsefInvoiceMetadata {
  readonly ksefNumber: string;
  readonly invoiceNumber: string;
  readonly issueDate: string;
  readonly invoicingDate: string;
  readonly acquisitionDate: string;
  readonly permanentStorageDate: string;
  readonly seller: { readonly nip: string; readonly name?: string | null };
  readonly buyer: { readonly identifier: { readonly type: string; readonly value?: string | null }; readonly name?: string | null };
  readonly netAmount: number;
  readonly grossAmount: number;
  readonly vatAmount: number;
  readonly currency: string;
  readonly invoicingMode: string;
  readonly invoiceType: string;
  readonly invoiceHash: string;
  readonly hasAttachment: boolean;
}

export interface IncrementalSyncRequest {
  readonly subjectType: KsefSubjectType;
  /** The high-water mark from the previous package (or the start of the history to fetch). */
  readonly from: string;
}

export interface IncrementalSyncPackage {
  readonly invoices: ReadonlyArray<{ readonly metadata: KsefInvoiceMetadata; readonly xml: string }>;
  /** Persist this and pass it as `from` next time; windows touch without overlap. */
  readonly nextFrom: string;
  /** More is waiting right now: call again with `nextFrom`. */
  readonly isTruncated: boolean;
}

export interface KsefGateway {
  /** The context (company) NIP this gateway acts for. */
  readonly contextNip: string;
  /** Logs in now (otherwise it happens on first use); fails with NonRetryableError on refused credentials. */
  authenticate(signal?: AbortSignal): Promise<void>;
  /** Revokes the refresh token of this login. */
  logout(): Promise<void>;
  /** Base64 SHA-256 of the invoice bytes, the key for reconciliation; persist it before sending. */
  invoiceHash(xml: string | Uint8Array): string;

  openOnlineSession(signal?: AbortSignal): Promise<OnlineSession>;
  /**
   * Sends at most once: after a lost response it looks the hash up in the session before resending.
   * Only into a session this gateway opened (the AES key never leaves the process); after a restart,
   * open a new session. Throws KsefUnknownOutcomeError when the outcome stays unknown: keep the
   * invoice "in doubt" and look it up by hash later (findInvoiceByHash), never resend it blindly.
   */
  sendInvoice(sessionReferenceNumber: string, invoice: InvoiceToSend, signal?: AbortSignal): Promise<SentInvoice>;
  closeOnlineSession(sessionReferenceNumber: string, signal?: AbortSignal): Promise<void>;
  /**
   * Packs, encrypts, opens a batch session, uploads every part and closes it. A failure carries
   * its BatchFailureStage and the session reference when known (KsefBatchSendError in the HTTP client).
   */
  sendBatch(invoices: readonly BatchInvoice[], options?: BatchOptions, signal?: AbortSignal): Promise<SentBatch>;

  getSessionState(sessionReferenceNumber: string, signal?: AbortSignal): Promise<SessionState>;
  getInvoiceStatus(sessionReferenceNumber: string, invoiceReferenceNumber: string, signal?: AbortSignal): Promise<SessionInvoice>;
  /** Every invoice of the session (all pages); `failedOnly` reads the failed list instead. */
  listSessionInvoices(sessionReferenceNumber: string, options?: { failedOnly?: boolean }, signal?: AbortSignal): Promise<SessionInvoice[]>;
  findInvoiceByHash(sessionReferenceNumber: string, invoiceHash: string, signal?: AbortSignal): Promise<SessionInvoice | undefined>;

  downloadInvoiceUpo(sessionReferenceNumber: string, invoiceReferenceNumber: string, signal?: AbortSignal): Promise<XmlDocument>;
  /** Every page of the session UPO; empty until the session reaches 200. */
  downloadSessionUpo(sessionReferenceNumber: string, signal?: AbortSignal): Promise<XmlDocument[]>;

  queryInvoiceMetadata(query: InvoiceMetadataQuery, signal?: AbortSignal): Promise<KsefInvoiceMetadata[]>;
  downloadInvoice(ksefNumber: string, signal?: AbortSignal): Promise<XmlDocument>;
  /** One export package from the high-water mark: started, polled, downloaded, decrypted and unpacked. */
  syncInvoices(request: IncrementalSyncRequest, signal?: AbortSignal): Promise<IncrementalSyncPackage>;
}
