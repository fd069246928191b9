import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { AdminFunctions } from '../../../lib/constructs/lifecycle/admin-functions';
import { bareStack } from '../../support/bare-stack';
import {
  AUDIT_ARN,
  lifecycleCommon,
  REGISTRY_ARN,
  REGISTRY_KEY_ARN,
} from '../../support/lifecycle-common';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const POOL_ARN = 'arn:aws:cognito-idp:ap-southeast-2:333333333333:userpool/ap-southeast-2_tenants';

function build() {
  const stack = bareStack();
  new AdminFunctions(stack, 'Admin', {
    ...lifecycleCommon(stack),
    graceDays: 90,
    userPool: cognito.UserPool.fromUserPoolArn(stack, 'Pool', POOL_ARN),
  });
  return Template.fromStack(stack);
}

const template = build();
/** Every action of one function's role other than logs and the VPC interfaces, by resource. */
function grants(fn: string): Record<string, string[]> {
  const statements = (Object.values(template.findResources('AWS::IAM::Policy')) as Json[])
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(`Admin${fn}`))
    .flatMap((p) => p.Properties.PolicyDocument.Statement) as Json[];
  const out: Record<string, string[]> = {};
  for (const s of statements) {
    for (const resource of [s.Resource].flat()) {
      // logs, VPC interfaces and X-Ray traces: the function factory's own, asserted in its test
      const actions = [s.Action].flat().filter((a: string) => !/^(logs|ec2|xray):/.test(a));
      if (actions.length === 0) continue;
      const key = typeof resource === 'string' ? resource : JSON.stringify(resource);
      out[key] = [...(out[key] ?? []), ...actions].sort();
    }
  }
  return out;
}

test('deactivate: transition with audit, list, disable and sign out the tenant users', () => {
  expect(grants('Deactivate')).toEqual({
    [REGISTRY_ARN]: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
    [AUDIT_ARN]: ['dynamodb:PutItem'],
    [REGISTRY_KEY_ARN]: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
    [POOL_ARN]: [
      'cognito-idp:AdminDisableUser',
      'cognito-idp:AdminUserGlobalSignOut',
      'cognito-idp:ListUsersInGroup',
    ],
  });
});

test('reactivate: transition with audit, list and enable the tenant users', () => {
  expect(grants('Reactivate')).toEqual({
    [REGISTRY_ARN]: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
    [AUDIT_ARN]: ['dynamodb:PutItem'],
    [REGISTRY_KEY_ARN]: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
    [POOL_ARN]: [
      'cognito-idp:AdminDisableUser',
      'cognito-idp:AdminEnableUser',
      'cognito-idp:ListUsersInGroup',
    ],
  });
});

test('status: read one registry item, nothing else', () => {
  expect(grants('Status')).toEqual({
    [REGISTRY_ARN]: ['dynamodb:GetItem'],
    [REGISTRY_KEY_ARN]: ['kms:Decrypt'],
  });
});

test('deactivation carries the grace period; four Node.js 22 arm64 functions (deactivate, reactivate, status, settings) in the VPC', () => {
  template.hasResourceProperties('AWS::Lambda::Function', {
    Environment: {
      Variables: Match.objectLike({
        GRACE_DAYS: '90',
        USER_POOL_ID: 'ap-southeast-2_tenants',
        TABLE_NAME: 'logi-prod-tenants',
        AUDIT_TABLE_NAME: 'logi-prod-tenant-audit',
      }),
    },
  });
  const fns = Object.values(
    template.findResources('AWS::Lambda::Function', {
      Properties: { VpcConfig: Match.anyValue() },
    }),
  ) as Json[];
  expect(fns.map((fn) => fn.Properties.Tags[0].Value).sort()).toEqual([
    'tenant-deactivate',
    'tenant-reactivate',
    'tenant-settings',
    'tenant-status',
  ]);
  for (const fn of fns) {
    expect(fn.Properties.Runtime).toBe('nodejs22.x');
    expect(fn.Properties.Architectures).toEqual(['arm64']);
  }
});
