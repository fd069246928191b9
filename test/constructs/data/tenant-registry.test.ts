import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { TenantRegistry } from '../../../lib/constructs/data/tenant-registry';
import { AUDIT_RECORD_CHANGE_ACTIONS } from '../../../lib/constructs/data/tenant-registry';
import { bareStack, TEST_ACCOUNT, TEST_REGION } from '../../support/bare-stack';
import type { Decision } from '../../support/iam-simulation';
import { ADMINISTRATOR_POLICY, decideAndRecord, resolve } from '../../support/iam-simulation';

const BREAK_GLASS = `arn:aws:iam::${TEST_ACCOUNT}:role/platform-break-glass`;
const DEPLOYER = `arn:aws:iam::${TEST_ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${TEST_ACCOUNT}-${TEST_REGION}`;
const WRITERS = `arn:aws:iam::${TEST_ACCOUNT}:role/prod-apse2-Lifecycle-*`;

const REPLICA_KEY =
  'arn:aws:kms:ap-southeast-4:333333333333:alias/logi-prod-ap-southeast-4-database';

function build(replicas = [{ region: 'ap-southeast-4', keyArn: REPLICA_KEY }]) {
  const stack = bareStack();
  new TenantRegistry(stack, 'Registry', {
    tableName: 'logi-prod-tenants',
    auditTableName: 'logi-prod-tenant-audit',
    key: new kms.Key(stack, 'Key'),
    replicas,
    auditWriterRoleArns: [WRITERS],
    breakGlassRoleArn: BREAK_GLASS,
    deploymentRoleArn: DEPLOYER,
  });
  return Template.fromStack(stack);
}

const table = (template: Template, name: string) =>
  Object.values(template.findResources('AWS::DynamoDB::GlobalTable')).find(
    (t) => t.Properties.TableName === name,
  )!;

test('the registry: on-demand, the state-due index, KMS, replicas with PITR and protection', () => {
  const template = build();
  template.resourceCountIs('AWS::DynamoDB::GlobalTable', 2);
  template.hasResource('AWS::DynamoDB::GlobalTable', {
    Properties: {
      TableName: 'logi-prod-tenants',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'tenantId', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'state-due',
          KeySchema: [
            { AttributeName: 'lifecycleState', KeyType: 'HASH' },
            { AttributeName: 'dueAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      Replicas: Match.arrayWith([
        Match.objectLike({
          Region: 'ap-southeast-4',
          DeletionProtectionEnabled: true,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          SSESpecification: { KMSMasterKeyId: REPLICA_KEY },
        }),
        Match.objectLike({
          Region: 'ap-southeast-2',
          DeletionProtectionEnabled: true,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        }),
      ]),
    },
    DeletionPolicy: 'Retain',
  });
});

test('the audit table is keyed by tenant and version and append-only in every replica', () => {
  const audit = table(build(), 'logi-prod-tenant-audit');
  expect(audit.Properties.KeySchema).toEqual([
    { AttributeName: 'tenantId', KeyType: 'HASH' },
    { AttributeName: 'version', KeyType: 'RANGE' },
  ]);
  expect(audit.Properties.Replicas).toHaveLength(2);
  for (const replica of audit.Properties.Replicas) {
    expect(replica.DeletionProtectionEnabled).toBe(true);
    const statements = replica.ResourcePolicy.PolicyDocument.Statement;
    expect(statements.map((st: { Sid: string }) => st.Sid)).toEqual([
      'AuditRecordsAreAppendOnly',
      'OnlyAuditWritersPut',
      'DenyPolicyChangesExceptBreakGlassAndDeployment',
    ]);
    expect(statements[0]).toEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: [...AUDIT_RECORD_CHANGE_ACTIONS].sort(),
        Resource: '*',
      }),
    );
  }
});

test('without replicas, one replica (this region) per table', () => {
  const template = build([]);
  for (const name of ['logi-prod-tenants', 'logi-prod-tenant-audit']) {
    expect(
      table(template, name).Properties.Replicas.map((r: { Region: string }) => r.Region),
    ).toEqual(['ap-southeast-2']);
  }
});

describe('audit table policy (decisions by the IAM policy simulator)', () => {
  const audit = table(build(), 'logi-prod-tenant-audit');
  const policy = resolve(
    audit.Properties.Replicas[0].ResourcePolicy.PolicyDocument,
    {},
    {
      account: TEST_ACCOUNT,
      region: TEST_REGION,
    },
  );
  const TABLE = `arn:aws:dynamodb:${TEST_REGION}:${TEST_ACCOUNT}:table/logi-prod-tenant-audit`;
  const admin = `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/Administrator/stolen`;
  const writer = `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/prod-apse2-Lifecycle-AdminDeactivateRole0A0D161E-Xy/fn`;
  const breakGlass = `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/platform-break-glass/officer`;
  const outsider = 'arn:aws:sts::999999999999:assumed-role/Administrator/outsider';
  const cases: [string, string, string, Decision][] = [
    ...AUDIT_RECORD_CHANGE_ACTIONS.flatMap((action): [string, string, string, Decision][] => [
      ['administrator', admin, action, 'ExplicitlyDenied'],
      ['lifecycle writer', writer, action, 'ExplicitlyDenied'],
      ['break-glass', breakGlass, action, 'ExplicitlyDenied'],
    ]),
    ['administrator', admin, 'dynamodb:PutItem', 'ExplicitlyDenied'],
    ['lifecycle writer', writer, 'dynamodb:PutItem', 'Allowed'],
    ['administrator', admin, 'dynamodb:GetItem', 'Allowed'],
    ['administrator', admin, 'dynamodb:PutResourcePolicy', 'ExplicitlyDenied'],
    ['administrator', admin, 'dynamodb:DeleteResourcePolicy', 'ExplicitlyDenied'],
    ['break-glass', breakGlass, 'dynamodb:PutResourcePolicy', 'Allowed'],
    ['other account, admin', outsider, 'dynamodb:PutItem', 'ExplicitlyDenied'],
    ['other account, admin', outsider, 'dynamodb:GetItem', 'ImplicitlyDenied'],
  ];
  it.each(cases)('%s: %s %s -> %s', async (who, principal, action, expected) => {
    const got = await decideAndRecord(
      'audit-table',
      who,
      {
        principal,
        action,
        resource: TABLE,
        resourceAccount: TEST_ACCOUNT,
        identityPolicies: [{ name: 'AdministratorAccess', policy: ADMINISTRATOR_POLICY }],
        resourcePolicy: policy,
      },
      expected,
    );
    expect(got).toBe(expected);
  });
});
