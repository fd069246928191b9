import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { FileStoreProps } from '../../../lib/constructs/storage/file-store';
import { FileStore } from '../../../lib/constructs/storage/file-store';
import { bareStack } from '../../support/bare-stack';
import { TLS_ONLY_BUCKET_POLICY } from '../../support/bucket-policy';

const NAME = 'logi-prod-ap-southeast-2-files';

function build(props: Partial<FileStoreProps> = {}) {
  const stack = bareStack();
  new FileStore(stack, 'Files', {
    bucketName: NAME,
    key: new kms.Key(stack, 'FilesKey'),
    accessLogsBucket: s3.Bucket.fromBucketName(
      stack,
      'Logs',
      'logi-prod-ap-southeast-2-access-logs',
    ),
    objectLock: { mode: 'COMPLIANCE', days: 30 },
    noncurrentTransitionDays: 30,
    noncurrentExpirationDays: 60,
    protection: { breakGlassRoleArn: 'arn:aws:iam::333333333333:role/platform-break-glass' },
    ...props,
  });
  return Template.fromStack(stack);
}

const bucketOf = (template: Template) =>
  Object.values(template.findResources('AWS::S3::Bucket'))[0] as {
    Properties: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    DeletionPolicy: string;
  };

test.each([
  ['COMPLIANCE', 30],
  ['GOVERNANCE', 7],
] as const)('versioned, object-locked (%s, %i days), retained', (mode, days) => {
  const bucket = bucketOf(build({ objectLock: { mode, days } }));
  expect(bucket.Properties.BucketName).toBe(NAME);
  expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
  expect(bucket.Properties.ObjectLockEnabled).toBe(true);
  expect(bucket.Properties.ObjectLockConfiguration).toEqual({
    ObjectLockEnabled: 'Enabled',
    Rule: { DefaultRetention: { Mode: mode, Days: days } },
  });
  expect(bucket.DeletionPolicy).toBe('Retain');
});

test('SSE-KMS with the given key and bucket keys', () => {
  expect(bucketOf(build()).Properties.BucketEncryption).toEqual({
    ServerSideEncryptionConfiguration: [
      {
        BucketKeyEnabled: true,
        ServerSideEncryptionByDefault: {
          SSEAlgorithm: 'aws:kms',
          KMSMasterKeyID: { 'Fn::GetAtt': [expect.stringMatching(/^FilesKey/), 'Arn'] },
        },
      },
    ],
  });
});

test('public access blocked, ACLs disabled, access logs under its own prefix, events on', () => {
  const props = bucketOf(build()).Properties;
  expect(props.PublicAccessBlockConfiguration).toEqual({
    BlockPublicAcls: true,
    BlockPublicPolicy: true,
    IgnorePublicAcls: true,
    RestrictPublicBuckets: true,
  });
  expect(props.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
  expect(props.LoggingConfiguration).toEqual({
    DestinationBucketName: 'logi-prod-ap-southeast-2-access-logs',
    LogFilePrefix: `${NAME}/`,
  });
  expect(props.NotificationConfiguration).toEqual({
    EventBridgeConfiguration: { EventBridgeEnabled: true },
  });
});

test('denies requests without TLS and with TLS below 1.2', () => {
  build().hasResourceProperties('AWS::S3::BucketPolicy', TLS_ONLY_BUCKET_POLICY);
});

test('noncurrent versions move to Standard-IA, then expire, as configured', () => {
  const rules = bucketOf(build({ noncurrentTransitionDays: 45, noncurrentExpirationDays: 90 }))
    .Properties.LifecycleConfiguration.Rules;
  expect(rules).toEqual([
    {
      Id: 'noncurrent-versions',
      Status: 'Enabled',
      NoncurrentVersionTransitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 45 }],
      NoncurrentVersionExpiration: { NoncurrentDays: 90 },
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
    },
  ]);
});

test('with a replica: every object and delete marker, re-encrypted with the replica key, RTC', () => {
  const template = build({
    replication: {
      bucketName: 'logi-prod-ap-southeast-4-files',
      region: 'ap-southeast-4',
      keyAlias: 'alias/logi-prod-ap-southeast-4-files',
    },
  });
  const { ReplicationConfiguration } = bucketOf(template).Properties;
  expect(ReplicationConfiguration.Role).toEqual({
    'Fn::GetAtt': [expect.stringMatching(/Replication/), 'Arn'],
  });
  expect(ReplicationConfiguration.Rules).toEqual([
    expect.objectContaining({
      Status: 'Enabled',
      DeleteMarkerReplication: { Status: 'Enabled' },
      SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } },
      Destination: expect.objectContaining({
        Bucket: 'arn:aws:s3:::logi-prod-ap-southeast-4-files',
        EncryptionConfiguration: {
          ReplicaKmsKeyID:
            'arn:aws:kms:ap-southeast-4:333333333333:alias/logi-prod-ap-southeast-4-files',
        },
        Metrics: { Status: 'Enabled', EventThreshold: { Minutes: 15 } },
        ReplicationTime: { Status: 'Enabled', Time: { Minutes: 15 } },
      }),
    }),
  ]);
  template.resourceCountIs('AWS::IAM::Role', 1);
});

test('without a replica: no replication and no role', () => {
  const template = build();
  expect(bucketOf(template).Properties.ReplicationConfiguration).toBeUndefined();
  template.resourceCountIs('AWS::IAM::Role', 0);
});
