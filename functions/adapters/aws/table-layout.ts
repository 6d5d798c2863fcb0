/**
 * The single DynamoDB table and its item keys. CDK (infra/) and every Dynamo adapter use these
 * names, so that the table and the code cannot drift apart.
 *
 *   item                 pk                      sk
 *   job queue entry      QUEUE#<codeUnit>        ENTRY
 *   run log row          QUEUE#<codeUnit>        RUN#<runId>          (runId sorts by start time)
 *
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
