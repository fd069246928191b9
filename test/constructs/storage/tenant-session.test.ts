import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { TenantFileAccess } from '../../../lib/constructs/storage/tenant-file-access';
import { TenantSession } from '../../../lib/constructs/storage/tenant-session';
import { bareStack } from '../../support/bare-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function build() {
  const stack = bareStack();
  const fileAccess = new TenantFileAccess(stack, 'FileAccess', {
    bucket: s3.Bucket.fromBucketName(stack, 'Files', 'logi-prod-files'),
  });
  new TenantSession(stack, 'Session', {
    fileAccess,
    issuer: {
      issuerUrl: 'https://cognito-idp.ap-southeast-2.amazonaws.com/pool',
      clientIds: ['client-a', 'client-b'],
    },
    registryTableName: 'logi-prod-tenants',
    registryKey: kms.Key.fromKeyArn(
      stack,
      'RegistryKey',
      'arn:aws:kms:ap-southeast-2:333333333333:key/registry',
    ),
    logsKey: new kms.Key(stack, 'LogsKey'),
    logRetention: logs.RetentionDays.ONE_YEAR,
  });
  return Template.fromStack(stack);
}

const template = build();
const sessionRole = (): Json =>
  Object.values(
    template.findResources('AWS::IAM::Role', {
      Properties: { RoleName: Match.stringLikeRegexp('tenant-session$') },
    }),
  )[0];
const vendingId = () =>
  Object.keys(template.findResources('AWS::IAM::Role')).find((id) =>
    id.startsWith('SessionVending'),
  )!;

test('the session role: assumed by the vending role alone, only with a non-empty tenant-id tag', () => {
  const role = sessionRole();
  expect(role.Properties.RoleName).toBe('Test-tenant-session');
  expect(role.Properties.MaxSessionDuration).toBe(3600);
  expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
    {
      Effect: 'Allow',
      Principal: { AWS: { 'Fn::GetAtt': [vendingId(), 'Arn'] } },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Condition: {
        StringLike: { 'aws:RequestTag/tenant-id': '?*' },
        'ForAllValues:StringEquals': { 'aws:TagKeys': ['tenant-id'] },
      },
    },
  ]);
});

test('the session role carries the tenant file access policy', () => {
  expect(sessionRole().Properties.ManagedPolicyArns).toEqual([
    { Ref: expect.stringMatching(/^FileAccess/) },
  ]);
});

test('the vending function: the issuer, its clients, the session role by name, the registry', () => {
  template.hasResourceProperties('AWS::Lambda::Function', {
    ReservedConcurrentExecutions: 20,
    Environment: {
      Variables: Match.objectLike({
        ISSUER: 'https://cognito-idp.ap-southeast-2.amazonaws.com/pool',
        CLIENT_IDS: 'client-a,client-b',
        TENANT_ROLE_ARN: 'arn:aws:iam::333333333333:role/Test-tenant-session',
        TABLE_NAME: 'logi-prod-tenants',
      }),
    },
  });
});

test('the vending role: assume and tag the session role, read the registry, nothing else', () => {
  const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (p: Json) => p.Properties.PolicyDocument.Statement,
  ) as Json[];
  expect(statements.find((s) => s.Sid === 'AssumeTenantSession')).toMatchObject({
    Action: ['sts:AssumeRole', 'sts:TagSession'],
    Resource: { 'Fn::GetAtt': [expect.stringMatching(/^SessionRole/), 'Arn'] },
  });
  const actions = statements
    .flatMap((s) => [s.Action].flat())
    .filter((a) => !/^(logs|xray):/.test(a)); // the function factory's own (its test)
  expect(actions.sort()).toEqual([
    'dynamodb:GetItem',
    'kms:Decrypt',
    'sts:AssumeRole',
    'sts:TagSession',
  ]);
});
