/**
 * Names of the environment variables that CDK gives the Lambda functions and wiring/aws.ts reads.
 * One list, so that the stack and the code agree.
 */
export const AWS_ENV = {
  /** The DynamoDB table. */
  tableName: 'TABLE_NAME',
  /** The EventBridge Scheduler group that holds one schedule per entry. */
  scheduleGroupName: 'SCHEDULE_GROUP_NAME',
  /** The role EventBridge Scheduler assumes to invoke the code-unit functions. */
  schedulerRoleArn: 'SCHEDULER_ROLE_ARN',
  /** The SQS dead-letter queue of undeliverable schedule invocations. */
  scheduleDlqArn: 'SCHEDULE_DLQ_ARN',
  /** JSON object: code unit id → function ARN (targets of schedules and of run-now). */
  codeUnitFunctionArns: 'CODE_UNIT_FUNCTION_ARNS',
  /** The verified SES identity (an e-mail address) that notifications are sent from. */
  senderAddress: 'SENDER_ADDRESS',
  /** The SES configuration set every notification is sent with. */
  sesConfigurationSet: 'SES_CONFIGURATION_SET',
  /**
   * The S3 bucket of the document blobs (code units and API only). Object keys are exactly
   * `documentBlobKeys` (`outgoing/…`, `incoming/…`, `upo/…`), no prefix: IAM grants are per prefix.
   */
  documentsBucket: 'DOCUMENTS_BUCKET',
  /** ARN of the Secrets Manager secret with the KSeF credentials (code units only; never the value). */
  ksefSecretArn: 'KSEF_SECRET_ARN',
  /** The company's NIP (the same name as in local mode): the only seller POST /documents accepts. */
  ksefNip: 'KSEF_NIP',
} as const;
