import { DynamoKsefSessionRepository } from '../../functions/adapters/aws/dynamo-ksef-session-repository.js';
import { ksefSessionRepositoryContract } from './ksef-session-repository.contract.js';
import { useEmbeddedDynamo } from '../helpers/embedded-dynamo.js';

const dynamo = useEmbeddedDynamo('ksef-sessions');

ksefSessionRepositoryContract('DynamoKsefSessionRepository on the embedded DynamoDB server', async () => {
  const tableName = await dynamo.freshTable();
  return new DynamoKsefSessionRepository(dynamo.client, tableName);
});
