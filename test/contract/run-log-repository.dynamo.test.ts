import { DynamoRunLogRepository } from '../../functions/adapters/aws/dynamo-run-log-repository.js';
import { runLogRepositoryContract } from './run-log-repository.contract.js';
import { useEmbeddedDynamo } from '../helpers/embedded-dynamo.js';

const dynamo = useEmbeddedDynamo('runs');

runLogRepositoryContract('DynamoRunLogRepository on the embedded DynamoDB server', async ({ clock, retentionDays }) => {
  const tableName = await dynamo.freshTable();
  return new DynamoRunLogRepository(dynamo.client, tableName, { clock, retentionDays });
});
