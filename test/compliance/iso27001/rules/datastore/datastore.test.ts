import { CfnDeletionPolicy, CfnParameter, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  DataStoreDeletionProtection,
  DataStoreReplacePolicy,
  DataStoreRetainPolicy,
} from '../../../../../packages/cdk-iso27001/src/iso27001/rules';
import { cfn, COMPLIANT, newStack, NON_COMPLIANT, NOT_APPLICABLE } from '../rule-harness';

describe('DataStoreRetainPolicy and DataStoreReplacePolicy', () => {
  it('pass an L2 bucket with RETAIN and an RDS cluster with the default Snapshot', () => {
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'B', { removalPolicy: RemovalPolicy.RETAIN });
    const l1 = bucket.node.defaultChild as s3.CfnBucket;
    expect(DataStoreRetainPolicy(l1)).toBe(COMPLIANT);
    expect(DataStoreReplacePolicy(l1)).toBe(COMPLIANT);
    const cluster = cfn(stack, 'C', 'AWS::RDS::DBCluster', { Engine: 'aurora-postgresql' });
    expect(DataStoreRetainPolicy(cluster)).toBe(COMPLIANT);
  });
  it('fail DESTROY on a table, and Snapshot on a bucket (S3 has no snapshots)', () => {
    const stack = newStack();
    const table = new dynamodb.TableV2(stack, 'T', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const l1 = table.node.defaultChild as dynamodb.CfnGlobalTable;
    expect(DataStoreRetainPolicy(l1)).toBe(NON_COMPLIANT);
    expect(DataStoreReplacePolicy(l1)).toBe(NON_COMPLIANT);
    const bucket = cfn(stack, 'B', 'AWS::S3::Bucket');
    bucket.cfnOptions.deletionPolicy = CfnDeletionPolicy.SNAPSHOT; // CDK's L2 refuses this; raw templates may not
    bucket.cfnOptions.updateReplacePolicy = CfnDeletionPolicy.SNAPSHOT;
    expect(DataStoreRetainPolicy(bucket)).toBe(NON_COMPLIANT);
    expect(DataStoreReplacePolicy(bucket)).toBe(NON_COMPLIANT);
  });
  it('are not applicable to a DB instance inside a cluster, or to a queue', () => {
    const stack = newStack();
    expect(
      DataStoreRetainPolicy(
        cfn(stack, 'I', 'AWS::RDS::DBInstance', {
          DBClusterIdentifier: 'c',
          DBInstanceClass: 'db.r6g.large',
        }),
      ),
    ).toBe(NOT_APPLICABLE);
    expect(DataStoreReplacePolicy(cfn(stack, 'Q', 'AWS::SQS::Queue'))).toBe(NOT_APPLICABLE);
  });
});

describe('DataStoreDeletionProtection', () => {
  it('passes protected clusters, tables and global table replicas', () => {
    const stack = newStack();
    expect(
      DataStoreDeletionProtection(
        cfn(stack, 'C', 'AWS::RDS::DBCluster', { DeletionProtection: true }),
      ),
    ).toBe(COMPLIANT);
    expect(
      DataStoreDeletionProtection(
        cfn(stack, 'T', 'AWS::DynamoDB::Table', { DeletionProtectionEnabled: true }),
      ),
    ).toBe(COMPLIANT);
    const table = new dynamodb.TableV2(stack, 'G', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      deletionProtection: true,
    });
    expect(DataStoreDeletionProtection(table.node.defaultChild as dynamodb.CfnGlobalTable)).toBe(
      COMPLIANT,
    );
  });
  it('fails unprotected ones and names unprotected replicas', () => {
    const stack = newStack();
    expect(DataStoreDeletionProtection(cfn(stack, 'C', 'AWS::RDS::DBCluster'))).toBe(NON_COMPLIANT);
    expect(
      DataStoreDeletionProtection(
        cfn(stack, 'I', 'AWS::RDS::DBInstance', { DBInstanceClass: 'db.t4g.micro' }),
      ),
    ).toBe(NON_COMPLIANT);
    const global = cfn(stack, 'G', 'AWS::DynamoDB::GlobalTable', {
      Replicas: [
        { Region: 'ap-southeast-2', DeletionProtectionEnabled: true },
        { Region: 'ap-southeast-4' },
      ],
    });
    expect(DataStoreDeletionProtection(global)).toEqual(['Replicas.1']);
  });
  it('reports a parameter as not checkable', () => {
    const stack = newStack();
    const p = new CfnParameter(stack, 'Protect', { type: 'String' });
    expect(
      DataStoreDeletionProtection(
        cfn(stack, 'T', 'AWS::DynamoDB::Table', { DeletionProtectionEnabled: p.valueAsString }),
      ),
    ).toEqual(['NotCheckable:DeletionProtectionEnabled']);
  });
});

describe('DataStoreReplacePolicy defaults', () => {
  it('requires an explicit UpdateReplacePolicy even where DeletionPolicy defaults to Snapshot', () => {
    const stack = newStack();
    const cluster = cfn(stack, 'C', 'AWS::RDS::DBCluster', { Engine: 'aurora-postgresql' });
    expect(DataStoreRetainPolicy(cluster)).toBe(COMPLIANT);
    expect(DataStoreReplacePolicy(cluster)).toBe(NON_COMPLIANT);
    cluster.cfnOptions.updateReplacePolicy = CfnDeletionPolicy.SNAPSHOT;
    expect(DataStoreReplacePolicy(cluster)).toBe(COMPLIANT);
  });
});
