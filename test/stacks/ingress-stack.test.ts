import type { Template } from 'aws-cdk-lib/assertions';
import { Match } from 'aws-cdk-lib/assertions';
import { loadConfig } from '../../lib/config';
import { stackTemplate } from '../support/default-platform';
import { snapshotTests } from '../support/stack-snapshots';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const config = loadConfig();
const prodIngress = config.environments.prod.ingress;
let template: Template;
let resources: Record<string, Json>;
let devTemplate: Template;
/** The Security stack, which holds the user pool (identity) since the lifecycle needs it too. */
let identity: Template;
/** The secondary region: its admin routes reach that region's own lifecycle functions. */
let secondary: Template;

beforeAll(() => {
  template = stackTemplate('prod-apse2-Ingress');
  identity = stackTemplate('prod-apse2-Security');
  resources = template.toJSON().Resources;
  devTemplate = stackTemplate('dev-apse2-Ingress');
  secondary = stackTemplate('prod-apse4-Ingress');
});

const idOf = (type: string, props: Json = {}) => {
  const found = Object.keys(template.findResources(type, { Properties: props }));
  expect(found).toHaveLength(1);
  return found[0];
};
const attributes = (t: Template): Record<string, string> => {
  const lb = Object.values(t.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'))[0];
  return Object.fromEntries(
    lb.Properties.LoadBalancerAttributes.map((a: Json) => [a.Key, a.Value]),
  );
};

describe('application load balancer', () => {
  test('internet-facing, in the three public subnets', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internet-facing',
      Type: 'application',
    });
    const lb = Object.values(
      template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'),
    )[0];
    expect(JSON.stringify(lb.Properties.Subnets)).toMatch(
      /IngressSubnet1.*IngressSubnet2.*IngressSubnet3/,
    );
    expect(lb.Properties.Subnets).toHaveLength(3);
  });

  // The listeners, TLS policy, 404 default, redirect and security group:
  // test/constructs/ingress/public-load-balancer.test.ts.
  test("the HTTPS listener has the region's configured certificate", () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Certificates: [{ CertificateArn: prodIngress.certificateArns['ap-southeast-2'] }],
    });
  });

  test("access logs to the region's log bucket, deletion protection in prod", () => {
    const bucket = idOf('AWS::S3::Bucket', { BucketName: 'logi-prod-ap-southeast-2-alb-logs' });
    expect(attributes(template)).toMatchObject({
      'access_logs.s3.enabled': 'true',
      'deletion_protection.enabled': 'true',
    });
    const lb = Object.values(
      template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'),
    )[0];
    const bucketAttr = lb.Properties.LoadBalancerAttributes.find(
      (a: Json) => a.Key === 'access_logs.s3.bucket',
    );
    expect(bucketAttr.Value).toEqual({ Ref: bucket });
  });

  test('no deletion protection outside production', () => {
    expect(attributes(devTemplate)['deletion_protection.enabled']).toBe('false');
  });

  test("the log bucket is named per region and logs its own access to the region's bucket", () => {
    // Its own promises: test/constructs/ingress/load-balancer-logs-bucket.test.ts.
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'logi-prod-ap-southeast-2-alb-logs',
      LoggingConfiguration: { DestinationBucketName: 'logi-prod-ap-southeast-2-access-logs' },
    });
  });
});

describe('WAF', () => {
  test('the configured per-IP rate limit', () => {
    // The rule order and managed groups: test/constructs/ingress/web-acl.test.ts.
    const acl = Object.values(template.findResources('AWS::WAFv2::WebACL'))[0];
    const rules: Json[] = acl.Properties.Rules;
    expect(rules[0].Statement.RateBasedStatement.Limit).toBe(prodIngress.rateLimitPer5Minutes);
  });

  test('associated with the load balancer', () => {
    const lb = idOf('AWS::ElasticLoadBalancingV2::LoadBalancer');
    const acl = idOf('AWS::WAFv2::WebACL');
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: { Ref: lb },
      WebACLArn: { 'Fn::GetAtt': [acl, 'Arn'] },
    });
  });

  test('logs to an aws-waf-logs- group under the stack logs key', () => {
    const name = 'aws-waf-logs-logi-prod-ap-southeast-2-web-acl';
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: name,
      RetentionInDays: 365,
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^LogsKey'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      LogDestinationConfigs: [`arn:aws:logs:ap-southeast-2:333333333333:log-group:${name}`],
    });
  });
});

describe('Cognito (in the Security stack)', () => {
  // The pools' and clients' own settings: test/constructs/security/oauth-user-pool.test.ts,
  // tenant-user-pool.test.ts and hardened-user-pool.test.ts. Here, the configured values.
  test('the resource server is the configured API domain', () => {
    identity.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: `https://${prodIngress.apiDomainName}`,
    });
  });

  test('the operator client has the configured callbacks', () => {
    identity.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'platform-api-operator',
      CallbackURLs: prodIngress.callbackUrls,
    });
  });

  test('an operator pool and a tenant pool, each with its own client and domain', () => {
    identity.resourceCountIs('AWS::Cognito::UserPool', 2);
    for (const name of ['platform-api-machine', 'platform-api-operator', 'tenant-app']) {
      identity.hasResourceProperties('AWS::Cognito::UserPoolClient', { ClientName: name });
    }
    identity.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: 'logi-prod-ap-southeast-2-auth',
    });
  });
});

describe('HTTP API', () => {
  test('reachable only on its custom domain with TLS 1.2 and the regional certificate', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      DisableExecuteApiEndpoint: true,
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: prodIngress.apiDomainName,
      DomainNameConfigurations: [
        {
          SecurityPolicy: 'TLS_1_2',
          EndpointType: 'REGIONAL',
          CertificateArn: prodIngress.certificateArns['ap-southeast-2'],
        },
      ],
    });
    template.resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 1);
  });

  test('a JWT authorizer: the operator pool issuer, the operator clients as audience only', () => {
    const pools = identity.findResources('AWS::Cognito::UserPool');
    const operatorPool = Object.keys(pools).find(
      (id) => pools[id].Properties.UserPoolTags['platform:principals'] === 'operator',
    );
    const tenantPool = Object.keys(pools).find(
      (id) => pools[id].Properties.UserPoolTags['platform:principals'] === 'tenant',
    );
    const clients = identity.findResources('AWS::Cognito::UserPoolClient');
    const clientsOf = (pool: string | undefined) =>
      Object.keys(clients).filter((id) => clients[id].Properties.UserPoolId.Ref === pool);
    const authorizer = Object.values(template.findResources('AWS::ApiGatewayV2::Authorizer'))[0];
    expect(authorizer.Properties.AuthorizerType).toBe('JWT');
    const issuer = JSON.stringify(authorizer.Properties.JwtConfiguration.Issuer);
    expect(issuer).toContain('cognito-idp');
    expect(issuer).toContain(operatorPool);
    expect(issuer).not.toContain(tenantPool);
    const audience = JSON.stringify(authorizer.Properties.JwtConfiguration.Audience);
    expect(clientsOf(operatorPool)).toHaveLength(2);
    for (const client of clientsOf(operatorPool)) expect(audience).toContain(client);
    expect(clientsOf(tenantPool)).toHaveLength(1);
    for (const client of clientsOf(tenantPool)) expect(audience).not.toContain(client);
  });

  test('the four tenant routes, each with the JWT authorizer and its scopes; no other route', () => {
    const authorizer = idOf('AWS::ApiGatewayV2::Authorizer');
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route'));
    const admin = `https://${prodIngress.apiDomainName}/tenants.admin`;
    const read = `https://${prodIngress.apiDomainName}/tenants.read`;
    expect(
      Object.fromEntries(
        routes.map((r) => [r.Properties.RouteKey, r.Properties.AuthorizationScopes]),
      ),
    ).toEqual({
      'POST /tenants/{tenantId}/deactivate': [admin],
      'POST /tenants/{tenantId}/reactivate': [admin],
      'GET /tenants/{tenantId}': [admin, read],
      'PUT /tenants/{tenantId}/settings': [admin],
    });
    for (const route of routes) {
      expect(route.Properties).toMatchObject({
        AuthorizationType: 'JWT',
        AuthorizerId: { Ref: authorizer },
      });
    }
  });

  test('stage: access logs under the stack logs key, default-route throttling', () => {
    const logGroup = idOf('AWS::Logs::LogGroup', {
      LogGroupName: '/logi-prod-ap-southeast-2-admin-api-access',
    });
    expect(resources[logGroup].Properties.KmsKeyId).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^LogsKey/), 'Arn'],
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [logGroup, 'Arn'] },
        Format: Match.stringLikeRegexp('\\$context.requestId'),
      },
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
  });

  test.each([
    ['primary', 'prod-apse2'],
    ['secondary', 'prod-apse4'],
  ])('in the %s region every route reaches its own lifecycle function', (_role, prefix) => {
    const t = prefix === 'prod-apse2' ? template : secondary;
    const integrations = Object.values(t.findResources('AWS::ApiGatewayV2::Integration'));
    expect(integrations).toHaveLength(4);
    const targets = integrations.map((i) => JSON.stringify(i.Properties.IntegrationUri));
    for (const name of ['Deactivate', 'Reactivate', 'Status', 'Settings']) {
      expect(
        targets.filter((u) => u.includes(`${prefix}-Lifecycle`) && u.includes(name)),
      ).toHaveLength(1);
    }
    // No function of its own: no placeholder behind any route.
    t.resourceCountIs('AWS::Lambda::Function', 0);
    for (const permission of Object.values(t.findResources('AWS::Lambda::Permission'))) {
      expect(permission.Properties).toMatchObject({
        Principal: 'apigateway.amazonaws.com',
        SourceAccount: '333333333333',
      });
    }
  });

  test("each region's authorizer trusts that region's operator pool", () => {
    for (const [t, prefix] of [
      [template, 'prod-apse2'],
      [secondary, 'prod-apse4'],
    ] as const) {
      const [authorizer] = Object.values(t.findResources('AWS::ApiGatewayV2::Authorizer'));
      expect(JSON.stringify(authorizer.Properties.JwtConfiguration.Issuer)).toContain(
        `${prefix}-Security`,
      );
    }
  });
});

snapshotTests('Ingress');
