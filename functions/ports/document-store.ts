/**
 * Blobs of documents: invoice XML (outgoing and incoming) and UPOs. Write-once by key: putting the
 * same bytes again is a no-op (so every step that stores a blob can be retried), putting different
 * bytes at a taken key throws ConflictError. Keys come from `documentBlobKeys`; any other key is
 * refused with a RangeError before any I/O.
 */
export interface DocumentStore {
  put(key: string, content: Uint8Array): Promise<void>;
  get(key: string): Promise<Uint8Array | undefined>;
}

/** `<kind>/<name>.xml`, name of letters, digits, `.`, `_`, `-` (no path traversal, safe as a file name and an S3 key). */
const BLOB_KEY = /^(outgoing|incoming|upo)\/[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}\.xml$/;

export function checkBlobKey(key: string): string {
  if (!BLOB_KEY.test(key) || key.includes('..')) throw new RangeError(`'${key}' is not a document blob key.`);
  return key;
}

export const documentBlobKeys = {
  /** Content-addressed, so that a retried or repaired submission finds its XML under the same key. */
  outgoingXml: (contentSha256Base64: string) => checkBlobKey(`outgoing/${Buffer.from(contentSha256Base64, 'base64').toString('base64url')}.xml`),
  incomingXml: (ksefNumber: string) => checkBlobKey(`incoming/${ksefNumber}.xml`),
  invoiceUpo: (ksefNumber: string) => checkBlobKey(`upo/${ksefNumber}.xml`),
  /** One page of a session's UPO (`page` from 1). */
  sessionUpo: (sessionReferenceNumber: string, page: number) => checkBlobKey(`upo/session-${sessionReferenceNumber}-${page}.xml`),
} as const;
