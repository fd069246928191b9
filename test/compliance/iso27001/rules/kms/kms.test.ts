import { Duration, Fn } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import {
  DataStoreCustomerManagedKey,
  kmsKeyDeletionWindow,
} from '../../../../../packages/cdk-iso27001/src/iso27001/rules';
import { cfn, COMPLIANT, newStack, NON_COMPLIANT } from '../rule-harness';

describe('DataStoreCustomerManagedKey', () => {
  it('passes stores encrypted with a key of the stack or a literal customer key ARN / alias', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const bucket = new s3.Bucket(stack, 'B', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
    });
    expect(DataStoreCustomerManagedKey(bucket.node.defaultChild as s3.CfnBucket)).toBe(COMPLIANT);
    const topic = new sns.Topic(stack, 'T', { masterKey: key });
    expect(DataStoreCustomerManagedKey(topic.node.defaultChild as sns.CfnTopic)).toBe(COMPLIANT);
    const queue = new sqs.Queue(stack, 'Q', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
    });
    expect(DataStoreCustomerManagedKey(queue.node.defaultChild as sqs.CfnQueue)).toBe(COMPLIANT);
    const vault = cfn(stack, 'V', 'AWS::Backup::BackupVault', {
      BackupVaultName: 'v',
      EncryptionKeyArn: 'arn:aws:kms:ap-southeast-2:333333333333:alias/logi-prod-backup',
    });
    expect(DataStoreCustomerManagedKey(vault)).toBe(COMPLIANT);
    const table = cfn(stack, 'D', 'AWS::DynamoDB::Table', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: key.keyArn },
    });
    expect(DataStoreCustomerManagedKey(table)).toBe(COMPLIANT);
  });
  it('fails AWS managed keys and SSE-S3 / SQS-managed SSE (cdk-nag passes those)', () => {
    const stack = newStack();
    const managed = new s3.Bucket(stack, 'B', { encryption: s3.BucketEncryption.KMS_MANAGED });
    expect(DataStoreCustomerManagedKey(managed.node.defaultChild as s3.CfnBucket)).toEqual([
      'BucketEncryption.ServerSideEncryptionConfiguration.0.KMSMasterKeyID',
    ]);
    expect(
      DataStoreCustomerManagedKey(
        cfn(stack, 'T', 'AWS::SNS::Topic', { KmsMasterKeyId: 'alias/aws/sns' }),
      ),
    ).toEqual(['KmsMasterKeyId']);
    const queue = new sqs.Queue(stack, 'Q', { encryption: sqs.QueueEncryption.SQS_MANAGED });
    expect(DataStoreCustomerManagedKey(queue.node.defaultChild as sqs.CfnQueue)).toEqual([
      'KmsMasterKeyId',
    ]);
    expect(
      DataStoreCustomerManagedKey(
        cfn(stack, 'C', 'AWS::RDS::DBCluster', { StorageEncrypted: true }),
      ),
    ).toEqual(['KmsKeyId']);
    expect(DataStoreCustomerManagedKey(cfn(stack, 'L', 'AWS::Logs::LogGroup'))).toEqual([
      'KmsKeyId',
    ]);
  });
  it('reports an imported key as not checkable', () => {
    const topic = cfn(newStack(), 'T', 'AWS::SNS::Topic', {
      KmsMasterKeyId: Fn.importValue('KeyArn'),
    });
    expect(DataStoreCustomerManagedKey(topic)).toEqual(['NotCheckable:KmsMasterKeyId']);
  });
});

describe('kmsKeyDeletionWindow', () => {
  const rule = kmsKeyDeletionWindow(30);
  it('passes the 30-day default and fails 7 days', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Default');
    expect(rule(key.node.defaultChild as kms.CfnKey)).toBe(COMPLIANT);
    const short = new kms.Key(stack, 'Short', { pendingWindow: Duration.days(7) });
    expect(rule(short.node.defaultChild as kms.CfnKey)).toBe(NON_COMPLIANT);
    // No minimum given: the pack's default of 30 days applies.
    expect(kmsKeyDeletionWindow()(short.node.defaultChild as kms.CfnKey)).toBe(NON_COMPLIANT);
    expect(kmsKeyDeletionWindow(7)(short.node.defaultChild as kms.CfnKey)).toBe(COMPLIANT);
  });
});
