import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDocumentRepository } from '../adapters/aws/dynamo-document-repository.js';
import { DynamoIncomingDocumentRepository } from '../adapters/aws/dynamo-incoming-document-repository.js';
import { DynamoKsefSessionRepository } from '../adapters/aws/dynamo-ksef-session-repository.js';
import { DynamoLedgerRepository } from '../adapters/aws/dynamo-ledger-repository.js';
import { DynamoSyncStateRepository } from '../adapters/aws/dynamo-sync-state-repository.js';
import { S3DocumentStore } from '../adapters/aws/s3-document-store.js';
import { fa3Parser } from '../adapters/xml/fa3-parser.js';
import type { CodeUnitDeps, CodeUnitFactory } from '../code-units/factories.js';
import type { CodeUnit } from '../ports/code-unit.js';
import { AWS_ENV } from './aws-env.js';
import { awsKsefGateway, KsefSettingsError } from './ksef.js';

/*
 * The code units on AWS: DynamoDB repositories in the one table, invoice XML and UPOs in S3
 * (DOCUMENTS_BUCKET), KSeF as configured by KSEF_ENV / KSEF_BASE_URL / KSEF_NIP with the credentials
 * from the secret KSEF_SECRET_ARN. Built on the first run of a container and kept for the next
 * ones; a configuration error fails that run with the variable's name in the run log.
 */

type Env = Readonly<Record<string, string | undefined>>;

let cached: CodeUnitDeps | undefined;

export function awsCodeUnitDeps(env: Env = process.env): CodeUnitDeps {
  if (cached) return cached;
  const tableName = required(env, AWS_ENV.tableName);
  const bucket = required(env, AWS_ENV.documentsBucket);
  const ksef = awsKsefGateway({ env, secrets: new SecretsManagerClient({}) });
  const dynamo = new DynamoDBClient({});
  cached = {
    ksef,
    documents: new DynamoDocumentRepository(dynamo, tableName),
    incoming: new DynamoIncomingDocumentRepository(dynamo, tableName),
    ledger: new DynamoLedgerRepository(dynamo, tableName),
    blobs: new S3DocumentStore(new S3Client({}), bucket),
    sessions: new DynamoKsefSessionRepository(dynamo, tableName),
    syncState: new DynamoSyncStateRepository(dynamo, tableName),
    parser: fa3Parser,
  };
  return cached;
}

/** The code unit that `factory` builds, with AWS dependencies, built on its first run. */
export function awsCodeUnit(factory: CodeUnitFactory, env: Env = process.env): CodeUnit {
  let unit: CodeUnit | undefined;
  return {
    id: factory.id,
    run: async (context) => (unit ??= factory.build(awsCodeUnitDeps(env))).run(context),
  };
}

function required(env: Env, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new KsefSettingsError(`The function's environment is misconfigured: ${name} is not set.`);
  return value;
}
