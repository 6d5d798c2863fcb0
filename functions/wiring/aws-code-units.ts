import { DynamoDocumentRepository } from '../adapters/aws/dynamo-document-repository.js';
import { DynamoIncomingDocumentRepository } from '../adapters/aws/dynamo-incoming-document-repository.js';
import { DynamoKsefSessionRepository } from '../adapters/aws/dynamo-ksef-session-repository.js';
import { DynamoLedgerRepository } from '../adapters/aws/dynamo-ledger-repository.js';
import { DynamoSyncStateRepository } from '../adapters/aws/dynamo-sync-state-repository.js';
import { S3DocumentStore } from '../adapters/aws/s3-document-store.js';
import type { CodeUnitDeps, CodeUnitFactory } from '../code-units/factories.js';
import type { CodeUnit } from '../ports/code-unit.js';
import type { InvoiceParser } from '../ports/invoice-parser.js';
import { awsClients, awsLogger, awsMetrics } from './aws-container.js';
import { AWS_ENV, DocumentsConfigError, readAwsEnvironment } from './aws-env.js';
import { awsKsefGateway } from './ksef.js';

/*
 * The code units on AWS: DynamoDB repositories in the one table, invoice XML and UPOs in S3
 * (DOCUMENTS_BUCKET), KSeF as configured by KSEF_ENV / KSEF_BASE_URL / KSEF_NIP with the credentials
 * from the secret KSEF_SECRET_ARN. Built on the first run of a container and kept for the next
 * ones; a configuration error fails that run with the variable's name in the run log.
 */

type Env = Readonly<Record<string, string | undefined>>;

export interface AwsCodeUnitOptions {
  /** Given by the functions whose code unit reads invoices (incoming-documents): the others' bundles leave the parser out. */
  readonly parser?: InvoiceParser;
  /** Default: process.env. */
  readonly env?: Env;
}

let cached: CodeUnitDeps | undefined;

export function awsCodeUnitDeps(options: AwsCodeUnitOptions = {}): CodeUnitDeps {
  const variables = options.env ?? process.env;
  if (cached) return cached;
  const env = readAwsEnvironment(variables);
  const { documents } = env;
  if (documents === undefined) throw new DocumentsConfigError(`The function's environment is misconfigured: ${AWS_ENV.documentsBucket} is not set.`);
  if (documents instanceof DocumentsConfigError) throw documents;
  const dynamo = awsClients.dynamo();
  cached = {
    ksef: awsKsefGateway({ env: variables, secrets: awsClients.secrets(), client: { logger: awsLogger(), metrics: awsMetrics() } }),
    documents: new DynamoDocumentRepository(dynamo, env.tableName),
    incoming: new DynamoIncomingDocumentRepository(dynamo, env.tableName),
    ledger: new DynamoLedgerRepository(dynamo, env.tableName),
    blobs: new S3DocumentStore(awsClients.s3(), documents.bucket),
    sessions: new DynamoKsefSessionRepository(dynamo, env.tableName),
    syncState: new DynamoSyncStateRepository(dynamo, env.tableName),
    ...(options.parser ? { parser: options.parser } : {}),
  };
  return cached;
}

/** The code unit that `factory` builds, with AWS dependencies, built on its first run. */
export function awsCodeUnit(factory: CodeUnitFactory, options: AwsCodeUnitOptions = {}): CodeUnit {
  let unit: CodeUnit | undefined;
  return {
    id: factory.id,
    run: async (context) => (unit ??= factory.build(awsCodeUnitDeps(options))).run(context),
  };
}
