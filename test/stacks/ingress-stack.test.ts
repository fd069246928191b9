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

  test('HTTPS with the TLS 1.3/1.2 policy, the regional certificate and a fixed 404', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      Certificates: [{ CertificateArn: prodIngress.certificateArns['ap-southeast-2'] }],
      DefaultActions: [
        {
          Type: 'fixed-response',
          FixedResponseConfig: Match.objectLike({
            StatusCode: '404',
            ContentType: 'application/json',
          }),
        },
      ],
    });
  });

  test('HTTP only redirects to HTTPS', () => {
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 2);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [
        {
          Type: 'redirect',
          RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' },
        },
      ],
    });
  });

  test('security group admits only 443 and 80', () => {
    const sg = Object.values(template.findResources('AWS::EC2::SecurityGroup'))[0];
    expect(sg.Properties.SecurityGroupIngress.map((r: Json) => r.FromPort).sort()).toEqual([
      443, 80,
    ]);
  });

  test('access logs, invalid headers dropped, deletion protection in prod', () => {
    const bucket = idOf('AWS::S3::Bucket', { BucketName: 'logi-prod-ap-southeast-2-alb-logs' });
    expect(attributes(template)).toMatchObject({
      'access_logs.s3.enabled': 'true',
      'routing.http.drop_invalid_header_fields.enabled': 'true',
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

  test('the log bucket: SSE-S3, versioned, TLS-only, lifecycle, access-logged, retained', () => {
    template.hasResource('AWS::S3::Bucket', {
      Properties: {
        BucketName: 'logi-prod-ap-southeast-2-alb-logs',
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
          ],
        },
        VersioningConfiguration: { Status: 'Enabled' },
        LifecycleConfiguration: {
          Rules: [Match.objectLike({ ExpirationInDays: 365, Status: 'Enabled' })],
        },
        LoggingConfiguration: { DestinationBucketName: 'logi-prod-ap-southeast-2-access-logs' },
      },
      DeletionPolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({ Effect: 'Allow', Action: 's3:PutObject' }),
        ]),
      },
    });
  });
});

describe('WAF', () => {
  test('managed rule groups and the configured per-IP rate rule', () => {
    const acl = Object.values(template.findResources('AWS::WAFv2::WebACL'))[0];
    expect(acl.Properties).toMatchObject({ Scope: 'REGIONAL', DefaultAction: { Allow: {} } });
    const rules: Json[] = acl.Properties.Rules;
    expect(rules[0]).toMatchObject({
      Action: { Block: {} },
      Statement: {
        RateBasedStatement: { Limit: prodIngress.rateLimitPer5Minutes, AggregateKeyType: 'IP' },
      },
    });
    const groups = rules
      .map((r) => r.Statement.ManagedRuleGroupStatement)
      .filter(Boolean)
      .map((g: Json) => `${g.VendorName}/${g.Name}`);
    expect(groups.sort()).toEqual([
      'AWS/AWSManagedRulesAmazonIpReputationList',
      'AWS/AWSManagedRulesCommonRuleSet',
      'AWS/AWSManagedRulesKnownBadInputsRuleSet',
      'AWS/AWSManagedRulesSQLiRuleSet',
    ]);
    expect(new Set(rules.map((r) => r.Priority)).size).toBe(rules.length);
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

describe('Cognito', () => {
  test('MFA required (TOTP), strong passwords, threat protection, no self sign-up, retained', () => {
    identity.hasResource('AWS::Cognito::UserPool', {
      Properties: Match.objectLike({
        MfaConfiguration: 'ON',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        Policies: {
          PasswordPolicy: Match.objectLike({
            MinimumLength: 14,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
          }),
        },
        UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        DeletionProtection: 'ACTIVE',
      }),
      DeletionPolicy: 'Retain',
    });
  });

  test('a resource server with the tenants.admin and tenants.read scopes', () => {
    identity.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: `https://${prodIngress.apiDomainName}`,
      Scopes: [
        Match.objectLike({ ScopeName: 'tenants.admin' }),
        Match.objectLike({ ScopeName: 'tenants.read' }),
      ],
    });
  });

  const hardened = { EnableTokenRevocation: true, PreventUserExistenceErrors: 'ENABLED' };

  test('the machine client: client credentials only, generated secret, API scopes', () => {
    identity.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ...hardened,
      GenerateSecret: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthScopes: [
        `https://${prodIngress.apiDomainName}/tenants.admin`,
        `https://${prodIngress.apiDomainName}/tenants.read`,
      ],
    });
  });

  test('the operator client: authorization code only (PKCE, no secret), configured callbacks', () => {
    identity.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ...hardened,
      ClientName: 'platform-api-operator',
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      CallbackURLs: prodIngress.callbackUrls,
      AccessTokenValidity: 15,
      RefreshTokenValidity: 60,
    });
    for (const client of Object.values(identity.findResources('AWS::Cognito::UserPoolClient'))) {
      expect(client.Properties.AllowedOAuthFlows).not.toContain('implicit');
    }
  });

  test('the tenant app client carries no operator scope and cannot write custom:tenant_id', () => {
    identity.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ...hardened,
      ClientName: 'tenant-app',
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      WriteAttributes: ['name'],
    });
  });

  test('a Cognito prefix domain', () => {
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
