import type { Template } from 'aws-cdk-lib/assertions';
import { Match } from 'aws-cdk-lib/assertions';
import { stackDependencies, stackTemplate } from '../support/default-platform';
import { snapshotTests } from '../support/stack-snapshots';

let primary: Template;
let secondary: Template;
let dev: Template;

beforeAll(() => {
  primary = stackTemplate('prod-apse2-Storage');
  secondary = stackTemplate('prod-apse4-Storage');
  dev = stackTemplate('dev-apse2-Storage');
});

function filesBucket(t: Template, name: string) {
  const bucket = Object.values(t.findResources('AWS::S3::Bucket')).find(
    (b) => b.Properties.BucketName === name,
  );
  if (!bucket) throw new Error(`no bucket ${name}`);
  return bucket;
}

describe.each([
  ['prod primary', () => primary, 'logi-prod-ap-southeast-2-files', 'COMPLIANCE', 30],
  ['prod replica', () => secondary, 'logi-prod-ap-southeast-4-files', 'COMPLIANCE', 30],
  ['dev', () => dev, 'logi-dev-ap-southeast-2-files', 'GOVERNANCE', 7],
])('%s file bucket', (_name, t, bucketName, mode, days) => {
  test('is versioned and object-locked with the configured default retention', () => {
    const bucket = filesBucket(t(), bucketName);
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.Properties.ObjectLockEnabled).toBe(true);
    expect(bucket.Properties.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: mode, Days: days } },
    });
    expect(bucket.DeletionPolicy).toBe('Retain');
  });

  test('SSE-KMS with the region files key and bucket keys', () => {
    const encryption = filesBucket(t(), bucketName).Properties.BucketEncryption;
    const rule = encryption.ServerSideEncryptionConfiguration[0];
    expect(rule.BucketKeyEnabled).toBe(true);
    expect(rule.ServerSideEncryptionByDefault.SSEAlgorithm).toBe('aws:kms');
    expect(JSON.stringify(rule.ServerSideEncryptionByDefault.KMSMasterKeyID)).toMatch(/FilesKey/);
  });

  test('blocks public access, disables ACLs and logs access to the log bucket', () => {
    const props = filesBucket(t(), bucketName).Properties;
    expect(props.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(props.OwnershipControls).toEqual({
      Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }],
    });
    expect(props.LoggingConfiguration.DestinationBucketName).toBe(
      bucketName.replace(/-files$/, '-access-logs'),
    );
  });

  test('denies requests without TLS and with TLS below 1.2', () => {
    t().hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({
            Effect: 'Deny',
            Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
          }),
        ]),
      },
    });
  });

  test('moves noncurrent versions to Standard-IA, then expires them', () => {
    const rules = filesBucket(t(), bucketName).Properties.LifecycleConfiguration.Rules;
    expect(rules).toContainEqual(
      expect.objectContaining({
        Status: 'Enabled',
        NoncurrentVersionTransitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }],
        NoncurrentVersionExpiration: { NoncurrentDays: 60 },
      }),
    );
  });
});

describe('cross-region replication', () => {
  test('the primary replicates everything, delete markers included, with metrics and RTC', () => {
    const replication = filesBucket(primary, 'logi-prod-ap-southeast-2-files').Properties
      .ReplicationConfiguration;
    expect(replication.Rules).toHaveLength(1);
    expect(replication.Rules[0]).toMatchObject({
      Status: 'Enabled',
      DeleteMarkerReplication: { Status: 'Enabled' },
      SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } },
      Destination: {
        Bucket: 'arn:aws:s3:::logi-prod-ap-southeast-4-files',
        EncryptionConfiguration: {
          ReplicaKmsKeyID:
            'arn:aws:kms:ap-southeast-4:333333333333:alias/logi-prod-ap-southeast-4-files',
        },
        Metrics: { Status: 'Enabled', EventThreshold: { Minutes: 15 } },
        ReplicationTime: { Status: 'Enabled', Time: { Minutes: 15 } },
      },
    });
  });

  test('the replica bucket does not replicate back; dev has no replication', () => {
    expect(
      filesBucket(secondary, 'logi-prod-ap-southeast-4-files').Properties.ReplicationConfiguration,
    ).toBeUndefined();
    expect(
      filesBucket(dev, 'logi-dev-ap-southeast-2-files').Properties.ReplicationConfiguration,
    ).toBeUndefined();
  });

  test('the replica exists before the primary deploys its replication', () => {
    expect(stackDependencies('prod-apse2-Storage')).toContain('prod-apse4-Storage');
  });

  test('the replication role may use only the replica key, by alias and through S3', () => {
    primary.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
            Condition: {
              'ForAnyValue:StringEquals': {
                'kms:ResourceAliases': 'alias/logi-prod-ap-southeast-4-files',
              },
              StringEquals: { 'kms:ViaService': 's3.ap-southeast-4.amazonaws.com' },
            },
          }),
        ]),
      },
    });
  });
});

describe('tenant file access', () => {
  test('a managed policy scopes object access to the session tenant prefix', () => {
    primary.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Null: { 'aws:PrincipalTag/tenant-id': 'true' } },
          }),
          Match.objectLike({
            Effect: 'Allow',
            Resource: {
              'Fn::Join': ['', [Match.anyValue(), '/tenants/${aws:PrincipalTag/tenant-id}/*']],
            },
          }),
        ]),
      },
    });
  });
});

describe('access-log bucket (Security stack)', () => {
  test('versioned, encrypted, TLS-only, public access blocked, logs expire', () => {
    const security = stackTemplate('prod-apse2-Security');
    const bucket = filesBucket(security, 'logi-prod-ap-southeast-2-access-logs');
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(
      bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0]
        .ServerSideEncryptionByDefault.SSEAlgorithm,
    ).toBe('AES256');
    expect(bucket.Properties.LifecycleConfiguration.Rules[0].ExpirationInDays).toBe(365);
    const policies = Object.values(security.findResources('AWS::S3::BucketPolicy'));
    const forLogs = JSON.stringify(
      policies.find((p) => JSON.stringify(p.Properties.Bucket).includes('AccessLogs')),
    );
    expect(forLogs).toContain('aws:SecureTransport');
    // Server access logs of every bucket of this account, whichever stack it is in.
    expect(forLogs).toContain('logging.s3.amazonaws.com');
    expect(forLogs).toContain('"aws:SourceAccount":"333333333333"');
  });
});

snapshotTests('Storage');
