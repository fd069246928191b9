import type { Stack } from 'aws-cdk-lib';
import { Aws, CfnParameter, Fn } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import {
  DynamoDBTableInBackupSelection,
  RdsClusterInBackupSelection,
  S3BucketInBackupSelection,
} from '../../../../../packages/cdk-iso27001/src/iso27001/rules';
import { testApp } from '../../../../support/app';
import {
  cfn,
  COMPLIANT,
  newStack,
  NON_COMPLIANT,
  NOT_APPLICABLE,
  PRIMARY,
  PROD_ACCOUNT,
} from '../rule-harness';

/** A Data stack with deterministic names and a Backup stack in the same account and region. */
function platform(
  selection: Record<string, unknown>,
  backupEnv = { account: PROD_ACCOUNT, region: PRIMARY },
) {
  const app = testApp();
  const data = newStack({ app, id: 'Data' });
  const backup = newStack({ app, id: 'Backup', env: backupEnv });
  const cluster = cfn(data, 'Aurora', 'AWS::RDS::DBCluster', {
    Engine: 'aurora-postgresql',
    DBClusterIdentifier: `logi-prod-${PRIMARY}-aurora`,
  });
  const bucket = cfn(data, 'Files', 'AWS::S3::Bucket', {
    BucketName: `logi-prod-${PRIMARY}-files`,
  });
  const table = cfn(data, 'Tenants', 'AWS::DynamoDB::Table', { TableName: 'logi-prod-tenants' });
  cfn(backup, 'Selection', 'AWS::Backup::BackupSelection', {
    BackupPlanId: 'plan',
    BackupSelection: {
      SelectionName: 'data',
      IamRoleArn: 'arn:aws:iam::333333333333:role/backup',
      ...selection,
    },
  });
  return { app, data, backup, cluster, bucket, table };
}

describe('*InBackupSelection', () => {
  it('passes resources listed by literal ARN in another stack of the same account and region', () => {
    const { cluster, bucket, table } = platform({
      Resources: [
        `arn:aws:rds:${PRIMARY}:${PROD_ACCOUNT}:cluster:logi-prod-${PRIMARY}-aurora`,
        `arn:aws:s3:::logi-prod-${PRIMARY}-files`,
        `arn:aws:dynamodb:${PRIMARY}:${PROD_ACCOUNT}:table/logi-prod-tenants`,
      ],
    });
    expect(RdsClusterInBackupSelection(cluster)).toBe(COMPLIANT);
    expect(S3BucketInBackupSelection(bucket)).toBe(COMPLIANT);
    expect(DynamoDBTableInBackupSelection(table)).toBe(COMPLIANT);
  });

  it('passes ARNs built with Fn::Join / Fn::Sub and pseudo parameters', () => {
    const { cluster, table } = platform({
      Resources: [
        Fn.join('', [
          'arn:',
          Aws.PARTITION,
          ':rds:',
          Aws.REGION,
          ':',
          Aws.ACCOUNT_ID,
          `:cluster:logi-prod-${PRIMARY}-aurora`,
        ]),
        Fn.sub('arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/logi-prod-*'),
      ],
    });
    expect(RdsClusterInBackupSelection(cluster)).toBe(COMPLIANT);
    expect(DynamoDBTableInBackupSelection(table)).toBe(COMPLIANT);
  });

  it('passes a same-stack Ref / GetAtt and a tag selection', () => {
    const app = testApp();
    const stack = newStack({ app });
    const bucket = cfn(stack, 'Files', 'AWS::S3::Bucket');
    const table = new dynamodb.CfnTable(stack, 'Table', {
      keySchema: [{ attributeName: 'pk', keyType: 'HASH' }],
      attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }],
      billingMode: 'PAY_PER_REQUEST',
      tags: [{ key: 'backup', value: 'daily' }],
    });
    cfn(stack, 'Selection', 'AWS::Backup::BackupSelection', {
      BackupPlanId: 'plan',
      BackupSelection: {
        SelectionName: 's',
        IamRoleArn: 'r',
        Resources: [bucket.getAtt('Arn')],
        ListOfTags: [
          { ConditionType: 'STRINGEQUALS', ConditionKey: 'backup', ConditionValue: 'daily' },
        ],
      },
    });
    expect(S3BucketInBackupSelection(bucket)).toBe(COMPLIANT);
    expect(DynamoDBTableInBackupSelection(table)).toBe(COMPLIANT);
  });

  it('fails resources not selected, selected only in another account, or excluded by NotResources', () => {
    const other = platform(
      { Resources: ['arn:aws:s3:::*'] },
      { account: '111111111111', region: PRIMARY },
    );
    expect(S3BucketInBackupSelection(other.bucket)).toBe(NON_COMPLIANT);
    const excluded = platform({
      Resources: ['arn:aws:s3:::*'],
      NotResources: [`arn:aws:s3:::logi-prod-${PRIMARY}-files`],
    });
    expect(S3BucketInBackupSelection(excluded.bucket)).toBe(NON_COMPLIANT);
    const none = platform({ Resources: ['arn:aws:s3:::something-else'] });
    expect(RdsClusterInBackupSelection(none.cluster)).toBe(NON_COMPLIANT);
    expect(DynamoDBTableInBackupSelection(none.table)).toBe(NON_COMPLIANT);
  });

  it('reports a selection it cannot resolve as not checkable, never as a pass', () => {
    const { backup, bucket } = platform({ Resources: [] });
    const param = new CfnParameter(backup, 'Arns', { type: 'String' });
    cfn(backup, 'Opaque', 'AWS::Backup::BackupSelection', {
      BackupPlanId: 'plan',
      BackupSelection: { SelectionName: 'x', IamRoleArn: 'r', Resources: [param.valueAsString] },
    });
    expect(S3BucketInBackupSelection(bucket)).toEqual([
      'NotCheckable:BackupSelection.Opaque.Resources',
    ]);
  });

  it('is not applicable to other resource types', () => {
    const stack: Stack = newStack();
    expect(S3BucketInBackupSelection(cfn(stack, 'T', 'AWS::DynamoDB::Table'))).toBe(NOT_APPLICABLE);
    expect(RdsClusterInBackupSelection(cfn(stack, 'B', 'AWS::S3::Bucket'))).toBe(NOT_APPLICABLE);
  });
});
