import { describe, expect, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDocumentRepository } from '../../functions/adapters/aws/dynamo-document-repository.js';
import { documentClaimKey } from '../../functions/adapters/aws/table-layout.js';
import { ConflictError } from '../../functions/domain/errors.js';
import { makeDocument } from '../helpers/document-factory.js';
import { documentRepositoryContract } from './document-repository.contract.js';
import { useEmbeddedDynamo } from '../helpers/embedded-dynamo.js';

const dynamo = useEmbeddedDynamo('documents');

async function newRepository(): Promise<DynamoDocumentRepository> {
  return new DynamoDocumentRepository(dynamo.client, await dynamo.freshTable());
}

documentRepositoryContract('DynamoDocumentRepository on the embedded DynamoDB server', newRepository);

describe('DynamoDocumentRepository after a crash between its two writes', () => {
  /** What a writer that stopped after claiming the key leaves behind: the claim, no document. */
  async function leaveClaimOnly(repo: DynamoDocumentRepository, documentId: string, contentSha256: string): Promise<void> {
    const doc = makeDocument();
    await dynamo.server.createDocumentClient().send(
      new PutCommand({
        TableName: repo.tableName,
        Item: { ...documentClaimKey(doc.key.sellerNip, doc.key.invoiceType, doc.key.invoiceNumber), documentId, contentSha256, createdAt: doc.createdAt },
      }),
    );
  }

  it('a retry with the same content completes the document under the claimed id', async () => {
    // Prepare
    const repo = await newRepository();
    const doc = makeDocument({ id: 'retry-id' });
    await leaveClaimOnly(repo, 'crashed-id', doc.contentSha256);
    // Act
    const result = await repo.create(doc);
    // Assess
    expect(result.created).toBe(false);
    expect(result.document.id).toBe('crashed-id');
    expect(await repo.get('crashed-id')).toMatchObject({ id: 'crashed-id', status: 'Pending', contentSha256: doc.contentSha256 });
    expect(await repo.get('retry-id')).toBeUndefined();
    expect((await repo.findByKey(doc.key))?.id).toBe('crashed-id');
  });

  it('different content for a half-written key is still a conflict', async () => {
    // Prepare
    const repo = await newRepository();
    await leaveClaimOnly(repo, 'crashed-id', Buffer.from('other').toString('base64'));
    // Act
    const error = await repo.create(makeDocument()).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(ConflictError);
    expect(await repo.get('crashed-id')).toBeUndefined();
  });
});
