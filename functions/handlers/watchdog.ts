import { emfLine } from '../adapters/aws/emf-metric.js';
import { reconcileSchedules } from '../use-cases/reconcile-schedules.js';
import { awsJobQueueDeps, awsRunNotifier, readAwsConfig } from '../wiring/aws.js';
import { AWS_METRICS } from '../wiring/aws-metrics.js';

/** Every five minutes: repairs drifted schedules, stale leases and missed runs; publishes the entries in Error. */
export const handler = async () => {
  const deps = awsJobQueueDeps();
  const notify = awsRunNotifier();
  // With the notifier, a stale lease that ends as a final failure is e-mailed like any other.
  const report = await reconcileSchedules({ ...deps, ...(notify ? { notify } : {}) });
  const inError = (await deps.entries.list()).filter((entry) => entry.status === 'Error').length;
  console.log(JSON.stringify({ message: 'reconciled', ...report }));
  console.log(
    emfLine({
      namespace: AWS_METRICS.namespace,
      metric: AWS_METRICS.entriesInError,
      value: inError,
      dimensions: { [AWS_METRICS.scheduleGroupDimension]: readAwsConfig().scheduleGroupName },
      at: deps.clock.now(),
    }),
  );
  return { ...report, entriesInError: inError };
};
