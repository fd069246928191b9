import { Template } from 'aws-cdk-lib/assertions';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ADMIN_ROUTES } from '../../../lambda/shared/lifecycle/admin-routes';
import type { TenantAdminHandlers } from '../../../lib/constructs/ingress/admin-api';
import { AdminApi } from '../../../lib/constructs/ingress/admin-api';
import { TEST_ACCOUNT, bareStack } from '../../support/bare-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ADMIN = 'https://api.example.com/tenants.admin';
const READ = 'https://api.example.com/tenants.read';
const CERTIFICATE = 'arn:aws:acm:ap-southeast-2:333333333333:certificate/abc';

const stack = bareStack();
const operators = new cognito.UserPool(stack, 'Operators');
const machine = operators.addClient('Machine');
const operator = operators.addClient('Operator');
// A client of the same pool that is not an operator client: the authorizer must not accept it.
const other = operators.addClient('Other');
const handler = (id: string) =>
  new lambda.Function(stack, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
  });
const handlers: TenantAdminHandlers = {
  deactivate: handler('Deactivate'),
  reactivate: handler('Reactivate'),
  status: handler('Status'),
  settings: handler('Settings'),
};
const api = new AdminApi(stack, 'AdminApi', {
  apiName: 'logi-prod-ap-southeast-2-admin-api',
  oauth: {
    userPool: operators,
    clients: [machine, operator],
    scopes: { admin: ADMIN, read: READ },
  },
  domainName: 'api.example.com',
  certificateArn: CERTIFICATE,
  handlers,
  accessLogGroupName: '/logi-prod-ap-southeast-2-admin-api-access',
  logsKey: new kms.Key(stack, 'LogsKey'),
  logRetention: logs.RetentionDays.ONE_YEAR,
});
const template = Template.fromStack(stack);
const resources = template.toJSON().Resources as Record<string, Json>;

const idOf = (c: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(c.node.defaultChild as never);
const ofType = (type: string) =>
  Object.entries(resources)
    .filter(([, r]) => r.Type === type)
    .map(([id, r]) => ({ id, ...r.Properties }) as Json);
const routes = ofType('AWS::ApiGatewayV2::Route');
const apiRef = { Ref: idOf(api.api) };
/** The handler (of `handlers`) a Lambda ARN in the template names. */
const handlerOf = (arn: unknown) =>
  (Object.keys(handlers) as (keyof TenantAdminHandlers)[]).find(
    (name) =>
      JSON.stringify(arn) === JSON.stringify({ 'Fn::GetAtt': [idOf(handlers[name]), 'Arn'] }),
  );

describe('routes, as an attacker probes them', () => {
  test('exactly the four tenant routes: no $default, no ANY, no greedy path', () => {
    expect(routes.map((r) => r.RouteKey).sort()).toEqual(
      ADMIN_ROUTES.map((r) => `${r.method} ${r.path}`).sort(),
    );
    for (const route of routes) {
      expect(route.RouteKey).not.toMatch(/^\$default$|^ANY |\+\}/);
      expect(route.ApiId).toEqual(apiRef);
    }
  });

  test('every route needs a JWT from the one authorizer', () => {
    const [authorizer] = ofType('AWS::ApiGatewayV2::Authorizer');
    for (const route of routes) {
      expect({ key: route.RouteKey, type: route.AuthorizationType }).toEqual({
        key: route.RouteKey,
        type: 'JWT',
      });
      expect(route.AuthorizerId).toEqual({ Ref: authorizer.id });
    }
  });

  test('every route needs an operator scope; only the status read accepts tenants.read', () => {
    const scopes = Object.fromEntries(routes.map((r) => [r.RouteKey, r.AuthorizationScopes]));
    expect(scopes).toEqual({
      'POST /tenants/{tenantId}/deactivate': [ADMIN],
      'POST /tenants/{tenantId}/reactivate': [ADMIN],
      'GET /tenants/{tenantId}': [ADMIN, READ],
      'PUT /tenants/{tenantId}/settings': [ADMIN],
    });
  });

  test('every route reaches its own lifecycle handler: no stub, mock or HTTP pass-through', () => {
    const integrations = new Map(ofType('AWS::ApiGatewayV2::Integration').map((i) => [i.id, i]));
    const reached = Object.fromEntries(
      routes.map((route) => {
        const target = String(route.Target?.['Fn::Join']?.[1]?.[1]?.Ref);
        const integration = integrations.get(target);
        expect(integration).toMatchObject({ ApiId: apiRef, IntegrationType: 'AWS_PROXY' });
        return [route.RouteKey, handlerOf(integration!.IntegrationUri)];
      }),
    );
    expect(reached).toEqual(
      Object.fromEntries(ADMIN_ROUTES.map((r) => [`${r.method} ${r.path}`, r.handler])),
    );
    expect(integrations.size).toBe(ADMIN_ROUTES.length);
  });
});

test('the authorizer trusts the operator pool as issuer and only the operator clients', () => {
  const [authorizer] = ofType('AWS::ApiGatewayV2::Authorizer');
  expect(authorizer).toMatchObject({
    AuthorizerType: 'JWT',
    IdentitySource: ['$request.header.Authorization'],
    ApiId: apiRef,
  });
  const issuer = JSON.stringify(authorizer.JwtConfiguration.Issuer);
  expect(issuer).toContain('https://cognito-idp.ap-southeast-2.');
  expect(issuer).toContain(JSON.stringify({ Ref: idOf(operators) }));
  expect(authorizer.JwtConfiguration.Audience).toEqual([
    { Ref: idOf(machine) },
    { Ref: idOf(operator) },
  ]);
  expect(JSON.stringify(authorizer.JwtConfiguration.Audience)).not.toContain(idOf(other));
});

test('only through the custom domain: the execute-api endpoint is off', () => {
  const [httpApi] = ofType('AWS::ApiGatewayV2::Api');
  expect(httpApi).toMatchObject({
    Name: 'logi-prod-ap-southeast-2-admin-api',
    ProtocolType: 'HTTP',
    DisableExecuteApiEndpoint: true,
  });
  expect(ofType('AWS::ApiGatewayV2::Stage')).toHaveLength(1);
});

test('the custom domain: regional, TLS 1.2, the given certificate, mapped to the one stage', () => {
  const [domain] = ofType('AWS::ApiGatewayV2::DomainName');
  expect(domain).toMatchObject({
    DomainName: 'api.example.com',
    DomainNameConfigurations: [
      { CertificateArn: CERTIFICATE, EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2' },
    ],
  });
  const [stage] = ofType('AWS::ApiGatewayV2::Stage');
  const mappings = Object.values(resources).filter(
    (r) => r.Type === 'AWS::ApiGatewayV2::ApiMapping',
  );
  expect(mappings).toHaveLength(1);
  const [mapping] = mappings;
  expect(mapping.Properties).toMatchObject({
    ApiId: apiRef,
    DomainName: { Ref: domain.id },
    Stage: stage.StageName,
  });
  expect(mapping.DependsOn).toContain(stage.id); // the stage exists before it is mapped
});

test('stage-wide throttling at 50 requests a second, bursts of 100 by default', () => {
  const [stage] = ofType('AWS::ApiGatewayV2::Stage');
  expect(stage).toMatchObject({
    StageName: '$default',
    AutoDeploy: true,
    DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
  });
});

test('access logs: JSON lines with who called what and why the authorizer refused', () => {
  const [stage] = ofType('AWS::ApiGatewayV2::Stage');
  expect(stage.AccessLogSettings.DestinationArn).toEqual({
    'Fn::GetAtt': [idOf(api.accessLogGroup), 'Arn'],
  });
  const format = JSON.parse(stage.AccessLogSettings.Format);
  expect(format).toMatchObject({
    requestId: '$context.requestId',
    ip: '$context.identity.sourceIp',
    routeKey: '$context.routeKey',
    status: '$context.status',
    authorizerError: '$context.authorizer.error',
    clientId: '$context.authorizer.claims.client_id',
  });
});

test('the access log group: named, encrypted with the logs key, retained', () => {
  const group = resources[idOf(api.accessLogGroup)];
  expect(group.Properties).toMatchObject({
    LogGroupName: '/logi-prod-ap-southeast-2-admin-api-access',
    KmsKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^LogsKey/), 'Arn'] },
    RetentionInDays: 365,
  });
  expect(group.DeletionPolicy).toBe('Retain');
});

test('only API Gateway of this account, on this API and the route it serves, may invoke a handler', () => {
  const permissions = ofType('AWS::Lambda::Permission');
  expect(permissions).toHaveLength(ADMIN_ROUTES.length);
  for (const permission of permissions) {
    expect(permission).toMatchObject({
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
      SourceAccount: TEST_ACCOUNT,
    });
    const name = handlerOf(permission.FunctionName);
    const route = ADMIN_ROUTES.find((r) => r.handler === name)!;
    const sourceArn = JSON.stringify(permission.SourceArn);
    expect(sourceArn).toContain(JSON.stringify(apiRef));
    expect(sourceArn).toContain(`/*/*${route.path}`);
  }
});

describe('built with its throttling given, and a route added later', () => {
  const other = bareStack();
  const pool = new cognito.UserPool(other, 'Operators');
  const fn = new lambda.Function(other, 'Fn', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
  });
  const built = new AdminApi(other, 'AdminApi', {
    apiName: 'api',
    oauth: { userPool: pool, clients: [pool.addClient('C')], scopes: { admin: ADMIN, read: READ } },
    domainName: 'api.example.com',
    certificateArn: CERTIFICATE,
    handlers: { deactivate: fn, reactivate: fn, status: fn, settings: fn },
    accessLogGroupName: '/api-access',
    logsKey: new kms.Key(other, 'LogsKey'),
    logRetention: logs.RetentionDays.ONE_MONTH,
    throttleRateLimit: 5,
    throttleBurstLimit: 10,
  });
  // A route someone adds later without naming an authorizer.
  built.api.addRoutes({
    path: '/later',
    methods: [apigwv2.HttpMethod.GET],
    integration: new HttpLambdaIntegration('Later', fn),
  });
  const later = Template.fromStack(other);

  test('the stage throttles at the given rate and burst', () => {
    later.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
    });
  });

  test('a route added later without an authorizer still needs the JWT and the admin scope (the defaults)', () => {
    // Without a default scope, any token of the operator pool (a read-only one) would pass.
    const [authorizer] = Object.keys(later.findResources('AWS::ApiGatewayV2::Authorizer'));
    later.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'GET /later',
      AuthorizationType: 'JWT',
      AuthorizerId: { Ref: authorizer },
      AuthorizationScopes: [ADMIN],
    });
  });
});
