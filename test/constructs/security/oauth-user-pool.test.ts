import { Match, Template } from 'aws-cdk-lib/assertions';
import { OAuthUserPool } from '../../../lib/constructs/security/oauth-user-pool';
import { bareStack } from '../../support/bare-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const API = 'https://api.example.com';

function build() {
  const stack = bareStack();
  const pool = new OAuthUserPool(stack, 'Operators', {
    userPoolName: 'logi-prod-operators',
    domainPrefix: 'logi-prod-operators',
    resourceServerIdentifier: API,
    callbackUrls: ['https://admin.example.com/callback'],
  });
  return { template: Template.fromStack(stack), pool };
}

const { template, pool } = build();
const clients = () =>
  Object.values(template.findResources('AWS::Cognito::UserPoolClient')) as Json[];
const client = (name: string) => clients().find((c) => c.Properties.ClientName === name)!;

test('a hardened pool tagged as the operators pool', () => {
  template.hasResourceProperties('AWS::Cognito::UserPool', {
    UserPoolName: 'logi-prod-operators',
    AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    MfaConfiguration: 'ON',
    UserPoolTier: 'PLUS',
    UserPoolTags: { 'platform:principals': 'operator' },
  });
});

test('the resource server holds the tenants.admin and tenants.read scopes', () => {
  template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
    Identifier: API,
    Scopes: [
      Match.objectLike({ ScopeName: 'tenants.admin' }),
      Match.objectLike({ ScopeName: 'tenants.read' }),
    ],
  });
  expect(pool.scopes).toEqual({ admin: `${API}/tenants.admin`, read: `${API}/tenants.read` });
});

test('every client: 15-minute tokens, revocation, no user-existence errors, after the scopes', () => {
  expect(clients()).toHaveLength(2);
  for (const c of clients()) {
    expect(c.Properties).toMatchObject({
      AccessTokenValidity: 15,
      IdTokenValidity: 15,
      TokenValidityUnits: expect.objectContaining({ AccessToken: 'minutes', IdToken: 'minutes' }),
      EnableTokenRevocation: true,
      PreventUserExistenceErrors: 'ENABLED',
    });
    expect(c.DependsOn).toEqual(
      expect.arrayContaining([expect.stringMatching(/^OperatorsUserPoolApi/)]),
    );
  }
});

test('machine client: client credentials with a secret, the API scopes only', () => {
  expect(client('platform-api-machine').Properties).toMatchObject({
    GenerateSecret: true,
    AllowedOAuthFlows: ['client_credentials'],
    AllowedOAuthScopes: [`${API}/tenants.admin`, `${API}/tenants.read`],
  });
});

test('operator client: code flow with PKCE (no secret), no implicit flow, 60-minute refresh', () => {
  const props = client('platform-api-operator').Properties;
  expect(props.GenerateSecret).toBe(false);
  expect(props.AllowedOAuthFlows).toEqual(['code']);
  expect(props.RefreshTokenValidity).toBe(60);
  expect(props.TokenValidityUnits.RefreshToken).toBe('minutes');
  expect(props.CallbackURLs).toEqual(['https://admin.example.com/callback']);
  expect(props.LogoutURLs).toEqual(['https://admin.example.com/callback']);
  expect(props.SupportedIdentityProviders).toEqual(['COGNITO']);
});

test('a Cognito prefix domain', () => {
  template.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
    Domain: 'logi-prod-operators',
  });
});
