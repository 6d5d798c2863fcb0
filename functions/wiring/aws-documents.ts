import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import type { ApiDocumentDeps } from '../api/api-deps.js';
import { DynamoDocumentRepository } from '../adapters/aws/dynamo-document-repository.js';
import { DynamoIncomingDocumentRepository } from '../adapters/aws/dynamo-incoming-document-repository.js';
import { DynamoLedgerRepository } from '../adapters/aws/dynamo-ledger-repository.js';
import { S3DocumentStore } from '../adapters/aws/s3-document-store.js';
import { fa3Parser } from '../adapters/xml/fa3-parser.js';
import { XmllintXsdValidator } from '../adapters/xml/xmllint-xsd-validator.js';
import { KsefJobError } from '../domain/errors.js';
import { nipProblem } from '../domain/nip.js';
import { systemClock } from '../ports/clock.js';
import { AWS_ENV } from './aws-env.js';

/*
 * The documents part of the management API on AWS: DynamoDB for the metadata, S3 for the XML, the
 * company NIP. Optional: a stack without DOCUMENTS_BUCKET and KSEF_NIP serves the queues, and the
 * documents routes answer 503 until both are set.
 */

export interface AwsDocumentsConfig {
  readonly bucket: string;
  readonly companyNip: string;
}

export class DocumentsConfigError extends KsefJobError {}

type Env = Readonly<Record<string, string | undefined>>;

/** Undefined when neither variable is set; a DocumentsConfigError naming the variable when one is wrong or missing. */
export function readAwsDocumentsConfig(env: Env): AwsDocumentsConfig | undefined {
  const bucket = env[AWS_ENV.documentsBucket]?.trim() || undefined;
  const nip = env[AWS_ENV.ksefNip]?.trim() || undefined;
  if (bucket === undefined && nip === undefined) return undefined;
  if (bucket === undefined) throw new DocumentsConfigError(`${AWS_ENV.documentsBucket} is required when ${AWS_ENV.ksefNip} is set.`);
  if (nip === undefined) throw new DocumentsConfigError(`${AWS_ENV.ksefNip} is required when ${AWS_ENV.documentsBucket} is set.`);
  const problem = nipProblem(nip);
  if (problem !== null) throw new DocumentsConfigError(`${AWS_ENV.ksefNip} '${nip}' ${problem}.`);
  return { bucket, companyNip: nip };
}

/** The document use cases' dependencies on AWS; the XSD validator stays warm for the container's life. */
export function awsDocumentDeps(config: AwsDocumentsConfig, dynamo: DynamoDBClient, tableName: string): ApiDocumentDeps {
  return {
    documents: new DynamoDocumentRepository(dynamo, tableName),
    incoming: new DynamoIncomingDocumentRepository(dynamo, tableName),
    ledger: new DynamoLedgerRepository(dynamo, tableName),
    blobs: new S3DocumentStore(new S3Client({}), config.bucket),
    validator: new XmllintXsdValidator(),
    parser: fa3Parser,
    clock: systemClock,
    newDocumentId: randomUUID,
    companyNip: config.companyNip,
  };
}
