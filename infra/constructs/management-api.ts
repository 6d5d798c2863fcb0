import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination, type IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { ManagedPolicy, PolicyStatement, type IManagedPolicy } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
// The declarations only (method, path, schemas, metadata): the handlers live apart, so synth loads none of the API's code.
import { ROUTE_TABLE } from '../../functions/api/route-table.js';
import { acknowledgeWildcardResource } from './acknowledge.js';
import { functionName } from './function-names.js';
import { RuntimeFunction, handlerEntry } from './runtime-function.js';

/** One JSON line per request, with the IAM caller, so that every change an admin makes is traceable. */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    ip: '$context.identity.sourceIp',
    caller: '$context.identity.userArn',
    routeKey: '$context.routeKey',
    status: '$context.status',
    responseLength: '$context.responseLength',
    latencyMs: '$context.responseLatency',
    integrationError: '$context.integrationErrorMessage',
  }),
);

export interface ManagementApiProps {
  readonly namePrefix: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetention: RetentionDays;
  /** The functions "run now" invokes asynchronously. */
  readonly codeUnitFunctions: readonly IFunction[];
}

/**
 * The admins' HTTP management API: an API Gateway HTTP API in front of one Lambda function.
 * Every route requires IAM (SigV4) authorization; there is no anonymous route.
 */
export class ManagementApi extends Construct {
  readonly function: IFunction;
  readonly httpApi: IHttpApi;
  readonly url: string;
  /** Attach to the admins' IAM users or roles: it allows calling this API and nothing else. */
  readonly invokePolicy: IManagedPolicy;

  constructor(scope: Construct, id: string, props: ManagementApiProps) {
    super(scope, id);
    this.function = new RuntimeFunction(this, 'Function', {
      functionName: functionName(props.namePrefix, 'api'),
      entry: handlerEntry('handlers/api.ts'),
      description: 'KSeF job queues: management API',
      // API Gateway gives up after 30 s; finishing first lets the function answer with a problem+json.
      timeout: Duration.seconds(29),
      environment: props.environment,
      logRetention: props.logRetention,
    });
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: props.codeUnitFunctions.map((fn) => fn.functionArn),
      }),
    );

    const httpApi = new HttpApi(this, 'HttpApi', {
      apiName: `${props.namePrefix}-management`,
      description: 'KSeF job queues management API (IAM-authenticated)',
      defaultAuthorizer: new HttpIamAuthorizer(),
      createDefaultStage: false,
    });
    // One gateway route per route of the API's table, the one its OpenAPI document derives from:
    // what is not in the table gets API Gateway's own 404 and never reaches the function.
    const integration = new HttpLambdaIntegration('Handler', this.function);
    for (const route of ROUTE_TABLE) {
      httpApi.addRoutes({ path: route.path, methods: [HttpMethod[route.method]], integration });
    }

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const stage = new HttpStage(this, 'DefaultStage', {
      httpApi,
      stageName: '$default',
      autoDeploy: true,
      // Admin scripts, not the public: a low ceiling keeps a runaway loop from hammering the table.
      throttle: { rateLimit: 20, burstLimit: 40 },
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: ACCESS_LOG_FORMAT },
    });
    this.httpApi = httpApi;
    this.url = stage.url;

    const everyRoute = httpApi.arnForExecuteApi();
    this.invokePolicy = new ManagedPolicy(this, 'InvokePolicy', {
      description: `Call the ${props.namePrefix} KSeF job queues management API (SigV4)`,
      statements: [new PolicyStatement({ actions: ['execute-api:Invoke'], resources: [everyRoute] })],
    });
    acknowledgeWildcardResource(
      this.invokePolicy,
      everyRoute,
      'Every route of this one API: admins manage all queues; the wildcard spans methods and paths of this API only.',
    );
  }
}
