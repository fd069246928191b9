import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { KeyProtection } from '../../../lib/constructs/core/platform-key';
import { PlatformKey } from '../../../lib/constructs/core/platform-key';
import { bareStack, TEST_ACCOUNT, TEST_REGION } from '../../support/bare-stack';
import type { Decision } from '../../support/iam-simulation';
import { ADMINISTRATOR_POLICY, decideAndRecord, resolve } from '../../support/iam-simulation';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const BREAK_GLASS = `arn:aws:iam::${TEST_ACCOUNT}:role/platform-break-glass`;
const DEPLOYER = `arn:aws:iam::${TEST_ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${TEST_ACCOUNT}-${TEST_REGION}`;
const KEY_ARN = `arn:aws:kms:${TEST_REGION}:${TEST_ACCOUNT}:key/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d`;

function keyPolicy(protection?: KeyProtection): Json {
  const stack = bareStack();
  new PlatformKey(stack, 'Files', {
    alias: 'alias/logi-prod-ap-southeast-2-files',
    description: 'files',
    protection,
  });
  const key = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key'))[0] as Json;
  return key.Properties.KeyPolicy;
}

const protectedPolicy = keyPolicy({ breakGlassRoleArn: BREAK_GLASS, deploymentRoleArn: DEPLOYER });

test('key administration and key use are separate statements, and no statement grants kms:*', () => {
  for (const policy of [keyPolicy(), protectedPolicy]) {
    const allows = (policy.Statement as Json[]).filter((s) => s.Effect === 'Allow');
    expect(allows.map((s) => s.Sid)).toEqual(['KeyAdministrationThroughIam', 'KeyUseThroughIam']);
    const [admin, use] = allows.map((s) => s.Action as string[]);
    expect(admin).toEqual(expect.arrayContaining(['kms:ScheduleKeyDeletion', 'kms:Put*']));
    expect(admin.some((a) => /Encrypt|Decrypt|GenerateDataKey/.test(a))).toBe(false);
    expect(use).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey*']));
    expect(use.some((a) => /Delete|Disable|Put|Schedule/.test(a))).toBe(false);
    expect(JSON.stringify(policy)).not.toContain('"kms:*"');
  }
});

test('an unprotected key has no destruction denies (non-production keys)', () => {
  const sids = (keyPolicy().Statement as Json[]).map((s) => s.Sid);
  expect(sids).not.toContain('DenyKeyDestructionExceptBreakGlass');
});

describe('protected key (decisions by the IAM policy simulator)', () => {
  const resourcePolicy = resolve(
    protectedPolicy,
    {},
    { account: TEST_ACCOUNT, region: TEST_REGION },
  );
  const admin = `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/Administrator/stolen`;
  const breakGlass = `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/platform-break-glass/officer`;
  const deployer = `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/cdk-hnb659fds-cfn-exec-role-${TEST_ACCOUNT}-${TEST_REGION}/AWSCloudFormation`;
  const outsider = `arn:aws:sts::999999999999:assumed-role/Administrator/outsider`;
  const worker = `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/archive-worker/fn`;
  const workerPolicy = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: KEY_ARN },
    ],
  };
  const forAws = { 'kms:GrantIsForAWSResource': 'true' };
  const notForAws = { 'kms:GrantIsForAWSResource': 'false' };
  const cases: [string, string, string, Record<string, string>, Decision][] = [
    ['administrator', admin, 'kms:ScheduleKeyDeletion', {}, 'ExplicitlyDenied'],
    ['administrator', admin, 'kms:DisableKey', {}, 'ExplicitlyDenied'],
    ['administrator', admin, 'kms:PutKeyPolicy', {}, 'ExplicitlyDenied'],
    ['administrator', admin, 'kms:CreateGrant', notForAws, 'ExplicitlyDenied'],
    ['administrator', admin, 'kms:CreateGrant', forAws, 'Allowed'],
    ['administrator', admin, 'kms:Decrypt', {}, 'Allowed'],
    ['break-glass', breakGlass, 'kms:ScheduleKeyDeletion', {}, 'Allowed'],
    ['break-glass', breakGlass, 'kms:DisableKey', {}, 'Allowed'],
    ['break-glass', breakGlass, 'kms:PutKeyPolicy', {}, 'Allowed'],
    ['break-glass', breakGlass, 'kms:CreateGrant', notForAws, 'ExplicitlyDenied'],
    ['deployment (cfn-exec)', deployer, 'kms:PutKeyPolicy', {}, 'Allowed'],
    ['deployment (cfn-exec)', deployer, 'kms:ScheduleKeyDeletion', {}, 'ExplicitlyDenied'],
    ['deployment (cfn-exec)', deployer, 'kms:DisableKey', {}, 'ExplicitlyDenied'],
    ['function role (grant by IAM)', worker, 'kms:Decrypt', {}, 'Allowed'],
    ['function role (grant by IAM)', worker, 'kms:ScheduleKeyDeletion', {}, 'ExplicitlyDenied'],
    ['other account, admin', outsider, 'kms:Decrypt', {}, 'ImplicitlyDenied'],
    ['other account, admin', outsider, 'kms:ScheduleKeyDeletion', {}, 'ExplicitlyDenied'],
  ];
  it.each(cases)('%s: %s %s %j -> %s', async (who, principal, action, context, expected) => {
    const identity = who.startsWith('function') ? workerPolicy : ADMINISTRATOR_POLICY;
    const got = await decideAndRecord(
      'platform-key',
      who,
      {
        principal,
        action,
        resource: KEY_ARN,
        resourceAccount: TEST_ACCOUNT,
        identityPolicies: [{ name: 'identity', policy: identity }],
        resourcePolicy,
        context,
      },
      expected,
    );
    expect(got).toBe(expected);
  });
});

test('the break-glass exemption names the role given (the created role in the stacks)', () => {
  const stack = bareStack();
  const role = new iam.Role(stack, 'BreakGlass', { assumedBy: new iam.AccountRootPrincipal() });
  new PlatformKey(stack, 'Data', {
    alias: 'alias/x',
    description: 'data',
    protection: { breakGlassRoleArn: role.roleArn },
  });
  const key = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key'))[0] as Json;
  const deny = (key.Properties.KeyPolicy.Statement as Json[]).find(
    (s) => s.Sid === 'DenyKeyDestructionExceptBreakGlass',
  );
  expect(deny?.Condition).toEqual({
    ArnNotEquals: {
      'aws:PrincipalArn': {
        'Fn::GetAtt': [stack.getLogicalId(role.node.defaultChild as never), 'Arn'],
      },
    },
  });
});
