import { DynamoEntryRepository } from '../../functions/adapters/aws/dynamo-entry-repository.js';
import { entryRepositoryContract } from './entry-repository.contract.js';
import { useEmbeddedDynamo } from '../helpers/embedded-dynamo.js';

const dynamo = useEmbeddedDynamo('entries');

entryRepositoryContract('DynamoEntryRepository on the embedded DynamoDB server', async () => {
  const tableName = await dynamo.freshTable();
  return new DynamoEntryRepository(dynamo.client, tableName);
});
