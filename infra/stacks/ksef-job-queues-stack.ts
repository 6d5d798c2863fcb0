import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { CODE_UNIT_IDS } from '../../functions/domain/catalogue.js';
import { AWS_ENV } from '../../functions/wiring/aws-env.js';
import { AWS_METRICS } from '../../functions/wiring/aws-metrics.js';
import { NOTIFICATION_ENV } from '../../functions/wiring/notification-config.js';
import { Alarms } from '../constructs/alarms.js';
import { CodeUnitFunctions } from '../constructs/code-unit-functions.js';
import { OperationsDashboard } from '../constructs/dashboard.js';
import { DOCUMENT_ACCESS } from '../constructs/document-access.js';
import { DocumentsBucket } from '../constructs/documents-bucket.js';
import { codeUnitFunctionArnsJson } from '../constructs/function-names.js';
import { JobsTable } from '../constructs/jobs-table.js';
import { KsefConnection } from '../constructs/ksef-connection.js';
import { Mailer } from '../constructs/mailer.js';
import { ManagementApi } from '../constructs/management-api.js';
import { JobSchedules } from '../constructs/schedules.js';
import { Watchdog } from '../constructs/watchdog.js';
import { environmentNameOf, type InfraConfig } from '../config.js';

export interface KsefJobQueuesStackProps extends StackProps {
  readonly config: InfraConfig;
}

/** Wiring only: each concern lives in its own construct under infra/constructs/. */
export class KsefJobQueuesStack extends Stack {
  constructor(scope: Construct, id: string, props: KsefJobQueuesStackProps) {
    super(scope, id, { ...props, stackName: props.config.stackName });
    const { config } = props;
    const namePrefix = config.stackName;
    const logRetention = config.logRetentionDays as RetentionDays;

    const jobs = new JobsTable(this, 'Jobs');
    const schedules = new JobSchedules(this, 'Schedules', { scheduleGroupName: namePrefix });
    const mailer = new Mailer(this, 'Mailer', {
      defaultSenderAddress: config.senderAddress,
      notificationIntervalMinutes: config.notificationIntervalMinutes,
      environmentName: environmentNameOf(config),
    });
    const documents = new DocumentsBucket(this, 'Documents');
    const ksef = new KsefConnection(this, 'Ksef', { config });
    // What every function needs; each kind of function gets only what it uses on top.
    const common = {
      [AWS_ENV.tableName]: jobs.table.tableName,
      [AWS_ENV.scheduleGroupName]: schedules.group.scheduleGroupName,
      [AWS_ENV.schedulerRoleArn]: schedules.schedulerRole.roleArn,
      [AWS_ENV.scheduleDlqArn]: schedules.deadLetterQueue.queueArn,
      [AWS_ENV.codeUnitFunctionArns]: codeUnitFunctionArnsJson(this, namePrefix),
      ...mailer.environment,
      POWERTOOLS_SERVICE_NAME: AWS_METRICS.serviceName,
      // Powertools Logger's level for every line of every function; change it here and redeploy to debug.
      [AWS_ENV.logLevel]: 'INFO',
    };

    const codeUnits = new CodeUnitFunctions(this, 'CodeUnits', {
      namePrefix,
      environment: {
        ...common,
        ...documents.environment,
        ...ksef.environment,
        ...ksef.credentialsEnvironment,
        ...mailer.notificationEnvironment,
      },
      logRetention,
    });
    const watchdog = new Watchdog(this, 'Watchdog', {
      namePrefix,
      environment: { ...common, ...mailer.notificationEnvironment },
      logRetention,
      deadLetterQueue: schedules.deadLetterQueue,
    });
    const api = new ManagementApi(this, 'ManagementApi', {
      namePrefix,
      environment: { ...common, ...documents.environment, ...ksef.environment },
      logRetention,
      codeUnitFunctions: codeUnits.all,
    });
    /*
     * Links in the e-mails. No cycle: the URL is made of the HTTP API's id alone, and the HTTP API
     * resource depends on nothing; its routes and integration (which depend on the API function,
     * which depends on the code units' ARNs) are separate resources.
     */
    for (const fn of [...codeUnits.all, watchdog.function]) fn.addEnvironment(NOTIFICATION_ENV.apiBaseUrl, api.url);

    schedules.allowSchedulesToInvoke(codeUnits.all);
    // A run reschedules its own entry; the API and the watchdog set schedules on every change and repair.
    for (const fn of [...codeUnits.all, api.function]) {
      jobs.grantItemAccess(fn);
      schedules.grantManageSchedules(fn);
    }
    jobs.grantItemAccess(watchdog.function);
    schedules.grantManageSchedules(watchdog.function, { list: true });
    // Failure and recovery e-mails are sent where runs end (code units) and where restarts happen (watchdog).
    for (const fn of [...codeUnits.all, watchdog.function]) mailer.grantSend(fn);
    // Every code unit talks to KSeF as the company; the API and the watchdog never do.
    for (const fn of codeUnits.all) ksef.grantReadCredentials(fn);
    for (const codeUnit of CODE_UNIT_IDS) documents.grantAccess(codeUnits.byCodeUnit[codeUnit], DOCUMENT_ACCESS[codeUnit]);
    documents.grantAccess(api.function, DOCUMENT_ACCESS.api);

    new Alarms(this, 'Alarms', {
      deadLetterQueue: schedules.deadLetterQueue,
      scheduleGroupName: schedules.group.scheduleGroupName,
      functions: { ...codeUnits.byCodeUnit, api: api.function, watchdog: watchdog.function },
      alarmEmail: config.alarmEmail,
    });

    const dashboard = new OperationsDashboard(this, 'Dashboard', { dashboardName: namePrefix, scheduleGroupName: schedules.group.scheduleGroupName });

    new CfnOutput(this, 'ApiUrl', { description: 'Management API base URL (IAM / SigV4)', value: api.url });
    new CfnOutput(this, 'ApiInvokePolicyArn', {
      description: 'Managed policy to attach to admins who may call the management API',
      value: api.invokePolicy.managedPolicyArn,
    });
    new CfnOutput(this, 'TableName', { value: jobs.table.tableName });
    new CfnOutput(this, 'DashboardName', { description: 'CloudWatch dashboard of runs, documents, KSeF traffic and e-mails', value: dashboard.dashboard.dashboardName });
    new CfnOutput(this, 'ScheduleGroupName', { value: schedules.group.scheduleGroupName });
    new CfnOutput(this, 'ScheduleDeadLetterQueueUrl', { value: schedules.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'SesConfigurationSet', { value: mailer.configurationSet.configurationSetName });
    new CfnOutput(this, 'DocumentsBucketName', { value: documents.bucket.bucketName });
    new CfnOutput(this, 'KsefSecretArn', {
      description: 'Secret to put the KSeF credentials (JSON) in; see infra/README.md',
      value: ksef.secret.secretArn,
    });
  }
}
