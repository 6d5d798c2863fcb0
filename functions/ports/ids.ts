/** Identifiers; injected so that tests can make them predictable. */
export interface IdGenerator {
  /** A random id for a new entry. */
  entryId(): string;
  /** A run id that sorts by time: `YYYYMMDDTHHmmssSSSZ-<8 hex>` for the instant `at`. */
  runId(at: Date): string;
}
