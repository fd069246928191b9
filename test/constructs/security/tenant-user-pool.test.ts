import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { TenantUserPool } from '../../../lib/constructs/security/tenant-user-pool';
import { bareStack } from '../../support/bare-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function build(tokenValidity?: Duration) {
  const stack = bareStack();
  new TenantUserPool(stack, 'Tenants', {
    userPoolName: 'logi-prod-tenants',
    domainPrefix: 'logi-prod-tenants',
    callbackUrls: ['https://app.example.com/callback'],
    preTokenGeneration: lambda.Function.fromFunctionArn(
      stack,
      'Trigger',
      'arn:aws:lambda:ap-southeast-2:333333333333:function:pre-token',
    ),
    tokenValidity,
  });
  return Template.fromStack(stack);
}

const template = build();
const appClient = () =>
  (Object.values(template.findResources('AWS::Cognito::UserPoolClient')) as Json[])[0].Properties;

test('a hardened pool tagged as the tenants pool, with an immutable tenant attribute', () => {
  template.hasResourceProperties('AWS::Cognito::UserPool', {
    UserPoolName: 'logi-prod-tenants',
    AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    MfaConfiguration: 'ON',
    UserPoolTier: 'PLUS',
    UserPoolTags: { 'platform:principals': 'tenant' },
    Schema: [
      {
        Name: 'tenant_id',
        AttributeDataType: 'String',
        Mutable: false,
        StringAttributeConstraints: { MinLength: '1', MaxLength: '64' },
      },
    ],
  });
});

test('the pre-token trigger, V2, so access tokens carry the claim too', () => {
  template.hasResourceProperties('AWS::Cognito::UserPool', {
    LambdaConfig: {
      PreTokenGenerationConfig: {
        LambdaArn: 'arn:aws:lambda:ap-southeast-2:333333333333:function:pre-token',
        LambdaVersion: 'V2_0',
      },
    },
  });
});

test('no resource server: no tenant token can carry an API scope', () => {
  template.resourceCountIs('AWS::Cognito::UserPoolResourceServer', 0);
  expect(appClient().AllowedOAuthScopes.sort()).toEqual(['email', 'openid', 'profile']);
});

test('the app client reads the tenant attribute and cannot write it', () => {
  const props = appClient();
  expect(props.ReadAttributes).toContain('custom:tenant_id');
  expect(props.WriteAttributes).toEqual(['name']);
});

test('code flow with PKCE (no secret), revocation, 15-minute tokens, 12-hour refresh', () => {
  expect(appClient()).toMatchObject({
    GenerateSecret: false,
    AllowedOAuthFlows: ['code'],
    EnableTokenRevocation: true,
    PreventUserExistenceErrors: 'ENABLED',
    AccessTokenValidity: 15,
    IdTokenValidity: 15,
    RefreshTokenValidity: 720,
    TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
    CallbackURLs: ['https://app.example.com/callback'],
    SupportedIdentityProviders: ['COGNITO'],
  });
});

test('the token lifetime is configurable', () => {
  build(Duration.minutes(5)).hasResourceProperties('AWS::Cognito::UserPoolClient', {
    AccessTokenValidity: 5,
    IdTokenValidity: 5,
  });
});

test('a Cognito prefix domain', () => {
  template.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
    Domain: 'logi-prod-tenants',
    UserPoolId: { Ref: Match.stringLikeRegexp('^TenantsUserPool') },
  });
});
