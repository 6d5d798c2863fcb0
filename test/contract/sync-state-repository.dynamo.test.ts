import { DynamoSyncStateRepository } from '../../functions/adapters/aws/dynamo-sync-state-repository.js';
import { syncStateRepositoryContract } from './sync-state-repository.contract.js';
import { useEmbeddedDynamo } from '../helpers/embedded-dynamo.js';

const dynamo = useEmbeddedDynamo('sync-state');

syncStateRepositoryContract('DynamoSyncStateRepository on the embedded DynamoDB server', async () => {
  const tableName = await dynamo.freshTable();
  return new DynamoSyncStateRepository(dynamo.client, tableName);
});
