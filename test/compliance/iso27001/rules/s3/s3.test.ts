import type { Stack } from 'aws-cdk-lib';
import { CfnParameter, Duration, Fn } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  S3BucketPublicAccessBlocked,
  S3LifecycleExpiration,
  S3ObjectLockRetention,
  s3CrossRegionReplication,
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
  SECONDARY,
} from '../rule-harness';

describe('S3BucketPublicAccessBlocked', () => {
  it('passes an L2 bucket with BLOCK_ALL', () => {
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'B', { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
    expect(S3BucketPublicAccessBlocked(bucket.node.defaultChild as s3.CfnBucket)).toBe(COMPLIANT);
  });
  it('fails a bucket with no configuration (cdk-nag would pass it) and names open settings', () => {
    const stack = newStack();
    expect(S3BucketPublicAccessBlocked(cfn(stack, 'A', 'AWS::S3::Bucket'))).toBe(NON_COMPLIANT);
    const partial = cfn(stack, 'P', 'AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: false,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    expect(S3BucketPublicAccessBlocked(partial)).toEqual(['BlockPublicPolicy']);
  });
  it('reports a token setting as not checkable', () => {
    const stack = newStack();
    const p = new CfnParameter(stack, 'Flag', { type: 'String' });
    const bucket = cfn(stack, 'T', 'AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: p.valueAsString,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    expect(S3BucketPublicAccessBlocked(bucket)).toEqual([
      'NotCheckable:PublicAccessBlockConfiguration.BlockPublicAcls',
    ]);
  });
  it('is not applicable to other resources', () => {
    expect(S3BucketPublicAccessBlocked(cfn(newStack(), 'Q', 'AWS::SQS::Queue'))).toBe(
      NOT_APPLICABLE,
    );
  });
});

describe('S3ObjectLockRetention', () => {
  it('passes Object Lock with a default retention', () => {
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'B', {
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(90)),
    });
    expect(S3ObjectLockRetention(bucket.node.defaultChild as s3.CfnBucket)).toBe(COMPLIANT);
  });
  it('fails Object Lock without default retention, and no Object Lock', () => {
    const stack = newStack();
    const lockedOnly = new s3.Bucket(stack, 'L', { objectLockEnabled: true });
    expect(S3ObjectLockRetention(lockedOnly.node.defaultChild as s3.CfnBucket)).toBe(NON_COMPLIANT);
    expect(S3ObjectLockRetention(cfn(stack, 'N', 'AWS::S3::Bucket'))).toBe(NON_COMPLIANT);
  });
});

describe('S3LifecycleExpiration', () => {
  it('passes an enabled expiring rule', () => {
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'B', {
      lifecycleRules: [{ expiration: Duration.days(400) }],
    });
    expect(S3LifecycleExpiration(bucket.node.defaultChild as s3.CfnBucket)).toBe(COMPLIANT);
  });
  it('fails a transition-only or disabled rule', () => {
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'B', {
      lifecycleRules: [
        {
          transitions: [
            { storageClass: s3.StorageClass.GLACIER, transitionAfter: Duration.days(30) },
          ],
        },
        { enabled: false, expiration: Duration.days(1) },
      ],
    });
    expect(S3LifecycleExpiration(bucket.node.defaultChild as s3.CfnBucket)).toBe(NON_COMPLIANT);
  });
});

describe('S3CrossRegionReplication', () => {
  const rule = s3CrossRegionReplication({ scope: 'all' });
  const replicating = (stack: Stack, id: string, destination: unknown) =>
    cfn(stack, id, 'AWS::S3::Bucket', {
      BucketName: `logi-prod-${PRIMARY}-${id.toLowerCase()}`,
      ReplicationConfiguration: {
        Role: 'arn:aws:iam::333333333333:role/r',
        Rules: [{ Status: 'Enabled', Destination: { Bucket: destination } }],
      },
    });

  it('passes replication to a bucket in another region, by deterministic name or by a bucket of the app', () => {
    const app = testApp();
    const primary = newStack({ app, id: 'Primary' });
    const secondary = newStack({
      app,
      id: 'Secondary',
      env: { account: PROD_ACCOUNT, region: SECONDARY },
    });
    cfn(secondary, 'Replica', 'AWS::S3::Bucket', { BucketName: 'replica-bucket' });
    expect(rule(replicating(primary, 'Files', `arn:aws:s3:::logi-prod-${SECONDARY}-files`))).toBe(
      COMPLIANT,
    );
    expect(rule(replicating(primary, 'Photos', 'arn:aws:s3:::replica-bucket'))).toBe(COMPLIANT);
    expect(rule(secondary.node.findChild('Replica') as never)).toBe(NOT_APPLICABLE);
  });
  it('fails no replication and same-region replication', () => {
    const stack = newStack();
    expect(rule(cfn(stack, 'Plain', 'AWS::S3::Bucket'))).toBe(NON_COMPLIANT);
    expect(rule(replicating(stack, 'Same', `arn:aws:s3:::logi-prod-${PRIMARY}-other`))).toBe(
      NON_COMPLIANT,
    );
  });
  it('reports an imported destination as not checkable', () => {
    const stack = newStack();
    expect(rule(replicating(stack, 'Imp', Fn.importValue('DestinationArn')))).toEqual([
      'NotCheckable:ReplicationConfiguration.Rules.0.Destination.Bucket',
    ]);
  });
  it('is not applicable outside production when scoped to production', () => {
    const prodOnly = s3CrossRegionReplication({
      scope: 'production',
      environments: {
        dev: { account: '111111111111' },
        prod: { account: PROD_ACCOUNT, production: true },
      },
    });
    const dev = newStack({ tags: { Environment: 'dev' } });
    const prod = newStack({ tags: { Environment: 'prod' } });
    expect(prodOnly(cfn(dev, 'B', 'AWS::S3::Bucket'))).toBe(NOT_APPLICABLE);
    expect(prodOnly(cfn(prod, 'B', 'AWS::S3::Bucket'))).toBe(NON_COMPLIANT);
  });
});
