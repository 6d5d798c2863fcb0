import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDocumentHistoryStore } from '../adapters/aws/dynamo-document-history-store.js';
import { startEmbeddedDynamo } from '../adapters/local/embedded-dynamodb.js';
import { HISTORY_MIGRATION_PAGE_SIZE, migrateHistory, type HistoryMigrationProgress } from '../use-cases/migrate-document-history.js';
import { readLocalConfig } from '../wiring/local-config.js';
import { LOCAL_TABLE_NAME } from '../wiring/local-names.js';

/*
 * `npm run migrate:history`: gives the history entries of stored documents their events
 * (use-cases/migrate-document-history.ts), a page at a time, printing after each page the cursor
 * to resume from. Without --table it migrates local mode's data (DATA_DIR; stop `npm start`
 * first: the embedded DynamoDB has one opener); with --table it migrates that DynamoDB table on
 * AWS, with the caller's AWS credentials and region (AWS_PROFILE, AWS_REGION …). README,
 * "Migrating document history", says why this is an operator's command and not a scheduled job.
 */

const USAGE = `Usage: npm run migrate:history [-- --table <TableName>] [--cursor <cursor>] [--pages <n>] [--page-size <n>]
  (no --table)       local mode's data in DATA_DIR (default .local/data); stop npm start first
  --table <name>     the stack's DynamoDB table on AWS (output TableName), with your AWS credentials and region
  --cursor <cursor>  go on from where an earlier run stopped (it prints the cursor after every page)
  --pages <n>        stop after n pages (default: until every document was read)
  --page-size <n>    items read a page (default ${HISTORY_MIGRATION_PAGE_SIZE})`;

interface Target {
  readonly store: DynamoDocumentHistoryStore;
  readonly where: string;
  close(): Promise<void>;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { table: { type: 'string' }, cursor: { type: 'string' }, pages: { type: 'string' }, 'page-size': { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help === true) return console.log(USAGE);
  const pages = positive('--pages', values.pages);
  const limit = positive('--page-size', values['page-size']);
  const target = values.table === undefined ? await localTarget() : awsTarget(values.table);
  if (target === null) return;
  let resumeFrom = values.cursor ?? null;
  try {
    console.log(`Migrating document history in ${target.where}${resumeFrom === null ? '' : ' from the cursor given'}…`);
    const total = await migrateHistory(
      { histories: target.store },
      {
        cursor: resumeFrom,
        ...(limit === undefined ? {} : { limit }),
        ...(pages === undefined ? {} : { maxPages: pages }),
        onPage: (page) => {
          resumeFrom = page.cursor;
          console.log(`  ${describe(page)}${page.cursor === null ? '' : `; next: --cursor ${page.cursor}`}`);
        },
      },
    );
    console.log(total.cursor === null ? `Done: ${describe(total)}.` : `Stopped after ${pages} page(s): ${describe(total)}. Go on with --cursor ${total.cursor}`);
  } catch (error) {
    const resume = resumeFrom === null ? 'Run it again' : `Go on with --cursor ${resumeFrom}`;
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${resume}: what was migrated stays migrated.`, { cause: error });
  } finally {
    await target.close();
  }
}

function describe(progress: HistoryMigrationProgress): string {
  return `${progress.documents} document(s) read, ${progress.migrated} migrated, ${progress.writtenMeanwhile} written meanwhile by the system (with their events)`;
}

function positive(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a whole number from 1, not '${value}'.`);
  return n;
}

async function localTarget(): Promise<Target | null> {
  const path = join(readLocalConfig().dataDir, 'dynamodb');
  if (!existsSync(path)) {
    console.log(`No local data in ${path}: nothing to migrate.`);
    return null;
  }
  const dynamo = await startEmbeddedDynamo({ path });
  return { store: new DynamoDocumentHistoryStore(dynamo.createClient(), LOCAL_TABLE_NAME), where: `local mode's data (${path})`, close: () => dynamo.close() };
}

function awsTarget(table: string): Target {
  const client = new DynamoDBClient({});
  return {
    store: new DynamoDocumentHistoryStore(client, table),
    where: `the DynamoDB table ${table}`,
    close: async () => client.destroy(),
  };
}

class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof UsageError ? `${error.message}\n${USAGE}` : error instanceof Error ? error.message : error);
  process.exit(1);
});
