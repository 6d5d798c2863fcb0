import { randomUUID } from 'node:crypto';
import type { ApiDocumentDeps } from '../api/api-deps.js';
import { DynamoDocumentRepository } from '../adapters/aws/dynamo-document-repository.js';
import { DynamoIncomingDocumentRepository } from '../adapters/aws/dynamo-incoming-document-repository.js';
import { DynamoSyncStateRepository } from '../adapters/aws/dynamo-sync-state-repository.js';
import { DynamoLedgerRepository } from '../adapters/aws/dynamo-ledger-repository.js';
import { S3DocumentStore } from '../adapters/aws/s3-document-store.js';
import { fa3Parser } from '../adapters/xml/fa3-parser.js';
import { XmllintXsdValidator } from '../adapters/xml/xmllint-xsd-validator.js';
import { systemClock } from '../ports/clock.js';
import { awsClients } from './aws-container.js';
import type { AwsDocumentsConfig } from './aws-env.js';

export { DocumentsConfigError, readAwsDocumentsConfig, type AwsDocumentsConfig } from './aws-env.js';

/*
 * The documents part of the management API on AWS: DynamoDB for the metadata, S3 for the XML, the
 * company NIP. Optional: a stack without DOCUMENTS_BUCKET and KSEF_NIP serves the queues, and the
 * documents routes answer 503 until both are set (aws-env.ts reads the pair).
 */

/** The document use cases' dependencies on AWS; the XSD validator stays warm for the container's life. */
export function awsDocumentDeps(config: AwsDocumentsConfig, tableName: string): ApiDocumentDeps {
  const dynamo = awsClients.dynamo();
  return {
    documents: new DynamoDocumentRepository(dynamo, tableName),
    incoming: new DynamoIncomingDocumentRepository(dynamo, tableName),
    ledger: new DynamoLedgerRepository(dynamo, tableName),
    blobs: new S3DocumentStore(awsClients.s3(), config.bucket),
    validator: new XmllintXsdValidator(),
    parser: fa3Parser,
    clock: systemClock,
    newDocumentId: randomUUID,
    companyNip: config.companyNip,
    syncState: new DynamoSyncStateRepository(dynamo, tableName),
  };
}
