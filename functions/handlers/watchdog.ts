import { reconcileSchedules } from '../use-cases/reconcile-schedules.js';
import { awsJobQueueDeps } from '../wiring/aws.js';

/** Every five minutes: repairs schedules that drifted from their entries, stale leases and missed runs. */
export const handler = async () => {
  const report = await reconcileSchedules(awsJobQueueDeps());
  console.log(JSON.stringify({ message: 'reconciled', ...report }));
  return report;
};
