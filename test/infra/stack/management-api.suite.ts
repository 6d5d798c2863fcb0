import { describe, expect, test } from 'vitest';
import { openApiDocument } from '../../../functions/api/openapi/document.js';
import { CODE_UNIT_IDS } from '../../../functions/domain/catalogue.js';
import { quiet } from '../shared-stacks.js';
import { lambdaFunction, render, resourcesAllowed, resourcesOfType } from '../template-helpers.js';

const { template, config } = quiet;
const prefix = config.stackName;
const apiFunction = lambdaFunction(template, `${prefix}-api`);
const routes = resourcesOfType(template, 'AWS::ApiGatewayV2::Route');
const routeKeys = routes.map((route) => String(route.properties.RouteKey));

describe('the management API', () => {
  test('the stack has one HTTP API', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
  });

  test('the API serves every route of the queue contract', () => {
    expect(routeKeys).toEqual(
      expect.arrayContaining([
        'GET /queues',
        'POST /queues/{codeUnit}',
        'GET /queues/{codeUnit}',
        'PATCH /queues/{codeUnit}',
        'DELETE /queues/{codeUnit}',
        'POST /queues/{codeUnit}/status',
        'POST /queues/{codeUnit}/run',
        'GET /queues/{codeUnit}/runs',
        'GET /queues/{codeUnit}/runs/{runId}',
        'GET /openapi.json',
      ]),
    );
  });

  test('the routes of the document and notification APIs are in place, each on its own', () => {
    expect(routeKeys).toEqual(
      expect.arrayContaining([
        'POST /documents',
        'GET /documents/{id}',
        'POST /documents/{id}/release',
        'GET /incoming-documents/{ksefNumber}/xml',
        'GET /ledger',
        'PUT /notifications/recipients/{email}',
        'GET /notifications/log',
      ]),
    );
    expect(routeKeys.filter((key) => key.startsWith('ANY ') || key.includes('+}'))).toEqual([]);
  });

  test('the API has a route for every operation of its OpenAPI document, and no other', () => {
    const operations = Object.entries(openApiDocument().paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((key) => key !== 'parameters')
        .map((method) => `${method.toUpperCase()} ${path}`),
    );

    expect(new Set(routeKeys)).toEqual(new Set(operations));
    expect(routeKeys).toHaveLength(operations.length);
  });

  test('every API route requires IAM authorization', () => {
    expect(routes.length).toBeGreaterThan(0);
    for (const route of routes) {
      expect(route.properties.AuthorizationType, String(route.properties.RouteKey)).toBe('AWS_IAM');
    }
  });

  test('no request falls through to an unauthenticated default route', () => {
    expect(routeKeys).not.toContain('$default');
  });

  test('every route reaches the API function through one Lambda proxy integration', () => {
    const integrations = resourcesOfType(template, 'AWS::ApiGatewayV2::Integration');

    expect(integrations).toHaveLength(1);
    expect(integrations[0]?.properties).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
    expect(render(integrations[0]?.properties.IntegrationUri)).toBe(`{${apiFunction.logicalId}.Arn}`);
    for (const route of routes) {
      expect(render(route.properties.Target), String(route.properties.RouteKey)).toBe(`integrations/{${integrations[0]?.logicalId}}`);
    }
  });

  test('the default stage deploys automatically and writes access logs with the caller', () => {
    const [stage] = resourcesOfType(template, 'AWS::ApiGatewayV2::Stage');
    const accessLog = stage?.properties.AccessLogSettings as { DestinationArn: unknown; Format: string };

    expect(stage?.properties).toMatchObject({ StageName: '$default', AutoDeploy: true });
    expect(render(accessLog.DestinationArn)).toMatch(/^\{ManagementApiAccessLogs.*\.Arn\}$/);
    expect(JSON.parse(accessLog.Format)).toMatchObject({ requestId: '$context.requestId', caller: '$context.identity.userArn' });
  });

  test('the default stage is throttled', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
    });
  });

  test('admins get a managed policy that allows calling this API and nothing else', () => {
    const [api] = resourcesOfType(template, 'AWS::ApiGatewayV2::Api');
    const [policy] = resourcesOfType(template, 'AWS::IAM::ManagedPolicy');
    const statements = (policy?.properties.PolicyDocument as { Statement: { Effect: string; Action: unknown; Resource: unknown }[] }).Statement;

    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatchObject({ Effect: 'Allow', Action: 'execute-api:Invoke' });
    expect(render(statements[0]?.Resource)).toBe(`arn:{AWS::Partition}:execute-api:{AWS::Region}:{AWS::AccountId}:{${api?.logicalId}}/*/*/*`);
  });

  test('the API function may start runs of the code-unit functions and of nothing else', () => {
    const codeUnitArns = CODE_UNIT_IDS.map((id) => `{${lambdaFunction(template, `${prefix}-${id}`).logicalId}.Arn}`);

    expect(resourcesAllowed(template, apiFunction.roleLogicalId, 'lambda:InvokeFunction').sort()).toEqual(codeUnitArns.sort());
  });

  test('only API Gateway may invoke the API function directly', () => {
    const permissions = resourcesOfType(template, 'AWS::Lambda::Permission').filter(
      (permission) => render(permission.properties.FunctionName) === `{${apiFunction.logicalId}.Arn}`,
    );

    expect(permissions.length).toBeGreaterThan(0);
    for (const permission of permissions) {
      expect(permission.properties).toMatchObject({ Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' });
      expect(render(permission.properties.SourceArn)).toMatch(/^arn:\{AWS::Partition\}:execute-api:/);
    }
  });
});
