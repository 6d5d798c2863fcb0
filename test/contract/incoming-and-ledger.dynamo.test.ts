import { DynamoIncomingDocumentRepository } from '../../functions/adapters/aws/dynamo-incoming-document-repository.js';
import { DynamoLedgerRepository } from '../../functions/adapters/aws/dynamo-ledger-repository.js';
import { incomingDocumentRepositoryContract } from './incoming-document-repository.contract.js';
import { ledgerRepositoryContract } from './ledger-repository.contract.js';
import { useEmbeddedDynamo } from '../helpers/embedded-dynamo.js';

const dynamo = useEmbeddedDynamo('incoming-ledger');

incomingDocumentRepositoryContract('DynamoIncomingDocumentRepository on the embedded DynamoDB server', async () => new DynamoIncomingDocumentRepository(dynamo.client, await dynamo.freshTable()));
ledgerRepositoryContract('DynamoLedgerRepository on the embedded DynamoDB server', async () => new DynamoLedgerRepository(dynamo.client, await dynamo.freshTable()));
