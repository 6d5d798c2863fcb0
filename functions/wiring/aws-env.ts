import * as z from 'zod/mini';
import { CODE_UNIT_IDS, type CodeUnitId } from '../domain/catalogue.js';
import { KsefJobError } from '../domain/errors.js';
import { nipProblem } from '../domain/nip.js';

/**
 * Names of the environment variables that CDK gives the Lambda functions and the AWS wiring reads.
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
  /** DEBUG, INFO, WARN or ERROR: the lowest level the functions log (Powertools reads it). */
  logLevel: 'LOG_LEVEL',
} as const;

type Env = Readonly<Record<string, string | undefined>>;

export class AwsEnvironmentError extends KsefJobError {}
export class DocumentsConfigError extends KsefJobError {}

const arn = z.string().check(z.regex(/^arn:aws[\w-]*:/, 'must be an ARN'));
const nonEmpty = z.string().check(z.minLength(1));
/** Blank counts as not set. */
const optionalText = z.optional(z.pipe(z.string(), z.transform((text: string) => text.trim() || undefined)));
const functionArns = z.pipe(
  z.pipe(
    z.string(),
    z.transform((text: string, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.issues.push({ code: 'custom', message: 'must be JSON', input: text });
        return z.NEVER;
      }
    }),
  ),
  z.object(Object.fromEntries(CODE_UNIT_IDS.map((id) => [id, arn])) as Record<CodeUnitId, typeof arn>),
);

/**
 * THE schema of the AWS environment, parsed once per container by wiring/aws-container.ts. Every
 * function gets the first five (the stack's `common` environment); the documents pair is optional
 * for the API (its routes answer 503 without it) and required by the code units. The notification
 * and KSeF variables are read by notification-config.ts and ksef.ts, which local mode shares.
 */
const documentsPair = { [AWS_ENV.documentsBucket]: optionalText, [AWS_ENV.ksefNip]: optionalText };
const documentsPairSchema = z.object(documentsPair);
const awsEnvSchema = z.object({
  [AWS_ENV.tableName]: nonEmpty,
  [AWS_ENV.scheduleGroupName]: nonEmpty,
  [AWS_ENV.schedulerRoleArn]: arn,
  [AWS_ENV.scheduleDlqArn]: arn,
  [AWS_ENV.codeUnitFunctionArns]: functionArns,
  ...documentsPair,
});

export interface AwsDocumentsConfig {
  readonly bucket: string;
  readonly companyNip: string;
}

export interface AwsEnvironment {
  readonly tableName: string;
  readonly scheduleGroupName: string;
  readonly schedulerRoleArn: string;
  readonly scheduleDlqArn: string;
  readonly codeUnitFunctionArns: Readonly<Record<CodeUnitId, string>>;
  /** Undefined when neither DOCUMENTS_BUCKET nor KSEF_NIP is set; the error when the pair is wrong. */
  readonly documents: AwsDocumentsConfig | DocumentsConfigError | undefined;
  /** All variables, for the readers local mode shares (notifications, KSeF). */
  readonly variables: Env;
}

export function readAwsEnvironment(env: Env): AwsEnvironment {
  const parsed = awsEnvSchema.safeParse(env);
  if (!parsed.success) {
    // zod/mini has no English messages (they would cost the code-unit bundles 3 KB); every variable is a string, so a wrong type means a missing one.
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.code === 'invalid_type' && issue.path.length === 1 ? 'is required' : issue.message}`).join('; ');
    throw new AwsEnvironmentError(`The function's environment is misconfigured: ${problems}`);
  }
  const values = parsed.data;
  return {
    tableName: values[AWS_ENV.tableName],
    scheduleGroupName: values[AWS_ENV.scheduleGroupName],
    schedulerRoleArn: values[AWS_ENV.schedulerRoleArn],
    scheduleDlqArn: values[AWS_ENV.scheduleDlqArn],
    codeUnitFunctionArns: values[AWS_ENV.codeUnitFunctionArns],
    documents: documentsOf(values[AWS_ENV.documentsBucket], values[AWS_ENV.ksefNip]),
    variables: env,
  };
}

/** The documents pair alone (the API's tests read it without the rest). */
export function readAwsDocumentsConfig(env: Env): AwsDocumentsConfig | undefined {
  const values = documentsPairSchema.parse(env);
  const documents = documentsOf(values[AWS_ENV.documentsBucket], values[AWS_ENV.ksefNip]);
  if (documents instanceof DocumentsConfigError) throw documents;
  return documents;
}

function documentsOf(bucket: string | undefined, nip: string | undefined): AwsDocumentsConfig | DocumentsConfigError | undefined {
  if (bucket === undefined && nip === undefined) return undefined;
  if (bucket === undefined) return new DocumentsConfigError(`${AWS_ENV.documentsBucket} is required when ${AWS_ENV.ksefNip} is set.`);
  if (nip === undefined) return new DocumentsConfigError(`${AWS_ENV.ksefNip} is required when ${AWS_ENV.documentsBucket} is set.`);
  const problem = nipProblem(nip);
  if (problem !== null) return new DocumentsConfigError(`${AWS_ENV.ksefNip} '${nip}' ${problem}.`);
  return { bucket, companyNip: nip };
}
