import type { CodeUnitId } from '../domain/catalogue.js';
import { CODE_UNIT_IDS } from '../domain/catalogue.js';

/**
 * Names that local mode gives the things AWS would create: the same shapes as on AWS, in a fake
 * account, so that the same adapters (EventBridge Scheduler, Lambda ARNs) work unchanged.
 */
export const LOCAL_REGION = 'eu-central-1';
export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_TABLE_NAME = 'ksef-job-queues';
export const LOCAL_SCHEDULE_GROUP = 'ksef-job-queues';
export const LOCAL_SYSTEM_SCHEDULE_GROUP = 'ksef-job-queues-system';
export const LOCAL_SCHEDULER_ROLE_ARN = `arn:aws:iam::${LOCAL_ACCOUNT}:role/ksef-job-queues-scheduler`;
export const LOCAL_DLQ_ARN = `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:ksef-job-queues-schedule-dlq`;

export const localFunctionArn = (name: string) => `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:ksef-job-queues-${name}`;

export const LOCAL_CODE_UNIT_ARNS = Object.fromEntries(CODE_UNIT_IDS.map((id) => [id, localFunctionArn(id)])) as Record<CodeUnitId, string>;
export const LOCAL_WATCHDOG_ARN = localFunctionArn('watchdog');
