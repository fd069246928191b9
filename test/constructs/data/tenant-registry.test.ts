import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { TenantRegistry } from '../../../lib/constructs/data/tenant-registry';
import { bareStack } from '../../support/bare-stack';

const REPLICA_KEY =
  'arn:aws:kms:ap-southeast-4:333333333333:alias/logi-prod-ap-southeast-4-database';

function build(replicas = [{ region: 'ap-southeast-4', keyArn: REPLICA_KEY }]) {
  const stack = bareStack();
  new TenantRegistry(stack, 'Registry', {
    tableName: 'logi-prod-tenants',
    auditTableName: 'logi-prod-tenant-audit',
    key: new kms.Key(stack, 'Key'),
    replicas,
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
    expect(replica.ResourcePolicy.PolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Sid: 'AuditRecordsAreAppendOnly',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: ['dynamodb:DeleteItem', 'dynamodb:DeleteTable', 'dynamodb:UpdateItem'],
        Resource: '*',
      }),
    ]);
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
