import { Match, Template } from 'aws-cdk-lib/assertions';
import type { ArchiveBucketProps } from '../../../lib/constructs/lifecycle/archive-bucket';
import { ArchiveBucket } from '../../../lib/constructs/lifecycle/archive-bucket';
import { bareStack } from '../../support/bare-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const READER = 'arn:aws:iam::333333333333:role/logi-prod-archive-auditor';
const WORKER = 'arn:aws:iam::333333333333:role/archive-worker';

function build(props: Partial<ArchiveBucketProps> = {}, restrict = false) {
  const stack = bareStack();
  const archive = new ArchiveBucket(stack, 'Archive', {
    bucketName: 'logi-prod-archive',
    keyAlias: 'alias/logi-prod-archive',
    accessLogsBucketName: 'logi-prod-access-logs',
    expireAfterDays: 400,
    ...props,
  });
  if (restrict) {
    archive.restrictReadsTo([READER]);
    archive.restrictWritesTo([WORKER]);
  }
  return Template.fromStack(stack);
}

const template = build({}, true);
const bucket = (t: Template = template): Json =>
  Object.values(t.findResources('AWS::S3::Bucket'))[0] as Json;
const policyStatements = (): Json[] =>
  (Object.values(template.findResources('AWS::S3::BucketPolicy'))[0] as Json).Properties
    .PolicyDocument.Statement;

test('versioned, COMPLIANCE-capable Object Lock without a default retention, retained', () => {
  const { Properties, DeletionPolicy } = bucket();
  expect(Properties.BucketName).toBe('logi-prod-archive');
  expect(Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
  expect(Properties.ObjectLockEnabled).toBe(true);
  expect(Properties.ObjectLockConfiguration?.Rule).toBeUndefined();
  expect(DeletionPolicy).toBe('Retain');
});

test('SSE-KMS with its own rotating key under the given alias', () => {
  expect(bucket().Properties.BucketEncryption).toEqual({
    ServerSideEncryptionConfiguration: [
      {
        BucketKeyEnabled: true,
        ServerSideEncryptionByDefault: {
          SSEAlgorithm: 'aws:kms',
          KMSMasterKeyID: { 'Fn::GetAtt': [expect.stringMatching(/^ArchiveKey/), 'Arn'] },
        },
      },
    ],
  });
  template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/logi-prod-archive' });
});

test('public access blocked, access logs under its own prefix, events, TLS 1.2+ only', () => {
  const props = bucket().Properties;
  expect(props.PublicAccessBlockConfiguration).toEqual({
    BlockPublicAcls: true,
    BlockPublicPolicy: true,
    IgnorePublicAcls: true,
    RestrictPublicBuckets: true,
  });
  expect(props.LoggingConfiguration).toEqual({
    DestinationBucketName: 'logi-prod-access-logs',
    LogFilePrefix: 'logi-prod-archive/',
  });
  expect(props.NotificationConfiguration).toEqual({
    EventBridgeConfiguration: { EventBridgeEnabled: true },
  });
  expect(policyStatements()).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        Effect: 'Deny',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
      expect.objectContaining({
        Effect: 'Deny',
        Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
      }),
    ]),
  );
});

test('the expiry backstop: everything gone after the configured days, noncurrent a day later', () => {
  expect(bucket().Properties.LifecycleConfiguration.Rules).toEqual([
    {
      Id: 'expire-after-archive-retention',
      Status: 'Enabled',
      ExpirationInDays: 400,
      NoncurrentVersionExpiration: { NoncurrentDays: 1 },
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
    },
  ]);
});

test('reads denied to every principal but the named readers', () => {
  const deny = policyStatements().find((s) => s.Sid === 'OnlyArchiveReadersReadObjects');
  expect(deny).toMatchObject({
    Effect: 'Deny',
    Principal: { AWS: '*' },
    Condition: { ArnNotEquals: { 'aws:PrincipalArn': [READER] } },
  });
  expect([...deny!.Action].sort()).toEqual([
    's3:GetObject',
    's3:GetObjectAttributes',
    's3:GetObjectVersion',
  ]);
});

test('writes, locks and deletes denied to every principal but the named workers', () => {
  const deny = policyStatements().find((s) => s.Sid === 'OnlyLifecycleWorkersWriteObjects');
  expect(deny).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' } });
  expect([...deny!.Action].sort()).toEqual(
    [
      's3:PutObject',
      's3:PutObjectRetention',
      's3:PutObjectLegalHold',
      's3:DeleteObject',
      's3:DeleteObjectVersion',
    ].sort(),
  );
  expect(deny!.Condition).toEqual({ ArnNotEquals: { 'aws:PrincipalArn': [WORKER] } });
});

test('with a replica: every object and delete marker to the replica, with its key; else none', () => {
  const replicating = build({
    replication: {
      bucketName: 'logi-prod-ap-southeast-4-archive',
      region: 'ap-southeast-4',
      keyAlias: 'alias/logi-prod-ap-southeast-4-archive',
    },
  });
  expect(bucket(replicating).Properties.ReplicationConfiguration.Rules).toEqual([
    expect.objectContaining({
      Status: 'Enabled',
      DeleteMarkerReplication: { Status: 'Enabled' },
      Destination: expect.objectContaining({
        Bucket: 'arn:aws:s3:::logi-prod-ap-southeast-4-archive',
        EncryptionConfiguration: {
          ReplicaKmsKeyID:
            'arn:aws:kms:ap-southeast-4:333333333333:alias/logi-prod-ap-southeast-4-archive',
        },
      }),
    }),
  ]);
  expect(bucket().Properties.ReplicationConfiguration).toBeUndefined();
  template.resourceCountIs('AWS::IAM::Role', 0);
  replicating.hasResourceProperties('AWS::IAM::Role', {
    AssumeRolePolicyDocument: {
      Statement: [Match.objectLike({ Principal: { Service: 's3.amazonaws.com' } })],
    },
  });
});
