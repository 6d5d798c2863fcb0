import { DynamoNotificationStore } from '../../functions/adapters/aws/dynamo-notification-store.js';
import { notificationStoreContract } from './notification-store.contract.js';
import { useEmbeddedDynamo } from '../helpers/embedded-dynamo.js';

const dynamo = useEmbeddedDynamo('notify');

notificationStoreContract('DynamoNotificationStore on the embedded DynamoDB server', async ({ clock, emailLogRetentionDays }) => {
  const tableName = await dynamo.freshTable();
  return new DynamoNotificationStore(dynamo.client, tableName, { clock, emailLogRetentionDays });
});
