/**
 * The single DynamoDB table and its item keys. CDK (infra/) and every Dynamo adapter use these
 * names, so that the table and the code cannot drift apart.
 *
 *   item                 pk                      sk
 *   job queue entry      QUEUE#<codeUnit>        ENTRY
 *   run log row          QUEUE#<codeUnit>        RUN#<runId>          (runId sorts by start time)
 *   notification state   QUEUE#<codeUnit>        NOTIFY#STATE
 *   sent e-mail          QUEUE#<codeUnit>        MAIL#<mailId>        gsi1: MAIL / MAIL#<mailId>
 *   global recipient     NOTIFY#RECIPIENTS       EMAIL#<lower-cased address>
 *
 * The e-mail log is listed newest first across all queues from GSI1 (one small partition: at most a
 * few mails per queue per hour), and per queue from the table itself; mail ids sort by time.
 * GSI1 (gsi1pk, gsi1sk) is reserved for later listings (documents by status, e-mail log …).
 * `ttl` (epoch seconds) lets AWS delete expired items; readers must still filter expired items,
 * because TTL deletion is late on AWS and missing in the embedded server.
 */
export const TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  gsi1Name: 'gsi1',
  gsi1PartitionKey: 'gsi1pk',
  gsi1SortKey: 'gsi1sk',
  ttlAttribute: 'ttl',
} as const;

export const entryKey = (codeUnit: string) => ({ pk: `QUEUE#${codeUnit}`, sk: 'ENTRY' }) as const;
export const runKey = (codeUnit: string, runId: string) => ({ pk: `QUEUE#${codeUnit}`, sk: `RUN#${runId}` }) as const;

// Notifications (issue 5); added after the keys above, which stay as they are.
export const notificationStateKey = (codeUnit: string) => ({ pk: `QUEUE#${codeUnit}`, sk: 'NOTIFY#STATE' }) as const;
export const EMAIL_LOG_INDEX_PK = 'MAIL';
export const emailLogKey = (codeUnit: string, mailId: string) =>
  ({ pk: `QUEUE#${codeUnit}`, sk: `MAIL#${mailId}`, gsi1pk: EMAIL_LOG_INDEX_PK, gsi1sk: `MAIL#${mailId}` }) as const;
export const RECIPIENTS_PK = 'NOTIFY#RECIPIENTS';
export const recipientKey = (email: string) => ({ pk: RECIPIENTS_PK, sk: `EMAIL#${email.toLowerCase()}` }) as const;

/*
 * Documents (issue 4); added after the keys above, which stay as they are.
 *
 *   item                    pk                                  sk        gsi1pk                gsi1sk
 *   outgoing document       DOC#<id>                            DOC       DOCSTATUS#<status>    <issueDate>#<id>
 *   business-key claim      DOCKEY#<nip>#<type>#<number>        DOCKEY    –                     –
 *   incoming document       INCOMING#<ksefNumber>               INCOMING  INCOMING              <issueDate>#<ksefNumber>
 *   ledger row              LEDGER#<ksefNumber>                 LEDGER    LEDGER                <issueDate>#<ksefNumber>
 *
 * The claim is written (attribute_not_exists) before the document and holds its id and content
 * hash: a create that finds the claim but not the document completes the document (the first
 * writer crashed between the two puts). The invoice number is URI-encoded, so a '#' in it cannot
 * make two keys collide. Documents are listed by status from GSI1; all statuses are merged.
 */
export const documentKey = (id: string) => ({ pk: `DOC#${id}`, sk: 'DOC' }) as const;
export const documentIndexKey = (status: string, issueDate: string, id: string) => ({ gsi1pk: `DOCSTATUS#${status}`, gsi1sk: `${issueDate}#${id}` }) as const;
export const documentClaimKey = (sellerNip: string, invoiceType: string, invoiceNumber: string) =>
  ({ pk: `DOCKEY#${sellerNip}#${invoiceType}#${encodeURIComponent(invoiceNumber)}`, sk: 'DOCKEY' }) as const;
export const INCOMING_INDEX_PK = 'INCOMING';
export const incomingDocumentKey = (ksefNumber: string) => ({ pk: `INCOMING#${ksefNumber}`, sk: 'INCOMING' }) as const;
export const LEDGER_INDEX_PK = 'LEDGER';
export const ledgerRowKey = (ksefNumber: string) => ({ pk: `LEDGER#${ksefNumber}`, sk: 'LEDGER' }) as const;

/*
 * KSeF synchronisation marks (issue 4); added after the keys above, which stay as they are.
 *
 *   item                    pk                                  sk
 *   sync mark               SYNC#<purpose>#<subjectType>        SYNC
 */
export const syncStateKey = (purpose: string, subjectType: string) => ({ pk: `SYNC#${purpose}#${subjectType}`, sk: 'SYNC' }) as const;

/*
 * KSeF sessions (issue 4, the outgoing code units); added after the keys above, which stay as they are.
 *
 *   item                    pk                       sk            gsi1pk                  gsi1sk
 *   KSeF session record     KSEFSESSION#<id>         KSEFSESSION   KSEFSESSION#UNFINISHED  <openedAt>#<id>
 *
 * GSI1 is sparse here: a finished session (nothing left to poll or download) is written without the
 * gsi1 attributes, so the pollers read only the few sessions that still need work.
 */
export const KSEF_SESSION_UNFINISHED_PK = 'KSEFSESSION#UNFINISHED';
export const ksefSessionKey = (id: string) => ({ pk: `KSEFSESSION#${id}`, sk: 'KSEFSESSION' }) as const;
export const ksefSessionIndexKey = (openedAt: string, id: string) => ({ gsi1pk: KSEF_SESSION_UNFINISHED_PK, gsi1sk: `${openedAt}#${id}` }) as const;
