import { Tags } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { CognitoTenantClientNoOperatorScope } from '../../../../../packages/cdk-iso27001/src/iso27001/rules';
import { cfn, COMPLIANT, newStack, NOT_APPLICABLE } from '../rule-harness';

const RULE = CognitoTenantClientNoOperatorScope;
const ADMIN = 'https://api.example.com/tenants.admin';

function poolWithClient(tag: string | undefined, scopes: string[]) {
  const stack = newStack();
  const pool = new cognito.UserPool(stack, 'Pool');
  if (tag) Tags.of(pool).add('platform:principals', tag);
  const server = pool.addResourceServer('Api', {
    identifier: 'https://api.example.com',
    scopes: [
      new cognito.ResourceServerScope({ scopeName: 'tenants.admin', scopeDescription: 'x' }),
    ],
  });
  const client = pool.addClient('Client', {
    oAuth: {
      flows: { authorizationCodeGrant: true },
      callbackUrls: ['https://app.example.com/cb'],
      scopes: scopes.map((s) => cognito.OAuthScope.custom(s)),
    },
  });
  client.node.addDependency(server);
  Template.fromStack(stack); // synthesize: tags are applied by an aspect, as before a pack run
  return client.node.defaultChild as cognito.CfnUserPoolClient;
}

describe('CognitoTenantClientNoOperatorScope', () => {
  it('refuses an operator scope on a client of a tenant pool', () => {
    expect(RULE(poolWithClient('tenant', ['openid', ADMIN]))).toEqual(['OperatorScope']);
  });
  it('refuses an operator scope on a client of an untagged pool (tenant-facing by default)', () => {
    expect(RULE(poolWithClient(undefined, [ADMIN]))).toEqual(['OperatorScope']);
  });
  it('accepts an operator scope on a client of the operator pool', () => {
    expect(RULE(poolWithClient('operator', [ADMIN]))).toBe(COMPLIANT);
  });
  it('accepts a tenant client without operator scopes', () => {
    expect(RULE(poolWithClient('tenant', ['openid', 'email']))).toBe(COMPLIANT);
  });
  it('reports a pool it cannot find as not checkable, never as a pass', () => {
    const stack = newStack();
    const client = cfn(stack, 'C', 'AWS::Cognito::UserPoolClient', {
      UserPoolId: 'ap-southeast-2_imported',
      AllowedOAuthScopes: [ADMIN],
    });
    expect(RULE(client)).toEqual(['NotCheckable:UserPoolId']);
  });
  it('does not apply to other resources', () => {
    expect(RULE(cfn(newStack(), 'P', 'AWS::Cognito::UserPool'))).toBe(NOT_APPLICABLE);
  });
});
