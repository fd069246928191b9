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

// The file bucket's own promises (versioning, lock, SSE-KMS, TLS-only, lifecycle, replication rule,
// replication role) are asserted in test/constructs/storage/file-store.test.ts and
// test/constructs/core/cross-region-replication.test.ts; here, what the stack wires into it.
describe.each([
  ['prod primary', () => primary, 'logi-prod-ap-southeast-2-files', 'COMPLIANCE', 30],
  ['prod replica', () => secondary, 'logi-prod-ap-southeast-4-files', 'COMPLIANCE', 30],
  ['dev', () => dev, 'logi-dev-ap-southeast-2-files', 'GOVERNANCE', 7],
])('%s file bucket', (_name, t, bucketName, mode, days) => {
  test('named per environment and region, with the Object Lock the environment configures', () => {
    const bucket = filesBucket(t(), bucketName);
    expect(bucket.Properties.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: mode, Days: days } },
    });
  });

  test("encrypted with the region's files key; access logs to the region's log bucket by name", () => {
    const props = filesBucket(t(), bucketName).Properties;
    const key = props.BucketEncryption.ServerSideEncryptionConfiguration[0];
    expect(JSON.stringify(key.ServerSideEncryptionByDefault.KMSMasterKeyID)).toMatch(/FilesKey/);
    expect(props.LoggingConfiguration.DestinationBucketName).toBe(
      bucketName.replace(/-files$/, '-access-logs'),
    );
  });

  test('noncurrent versions kept as the environment configures', () => {
    const rules = filesBucket(t(), bucketName).Properties.LifecycleConfiguration.Rules;
    expect(rules).toContainEqual(
      expect.objectContaining({
        NoncurrentVersionTransitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }],
        NoncurrentVersionExpiration: { NoncurrentDays: 60 },
      }),
    );
  });
});

describe('cross-region replication', () => {
  test('the primary replicates to the secondary bucket and key, by name', () => {
    const replication = filesBucket(primary, 'logi-prod-ap-southeast-2-files').Properties
      .ReplicationConfiguration;
    expect(replication.Rules).toHaveLength(1);
    expect(replication.Rules[0].Destination).toMatchObject({
      Bucket: 'arn:aws:s3:::logi-prod-ap-southeast-4-files',
      EncryptionConfiguration: {
        ReplicaKmsKeyID:
          'arn:aws:kms:ap-southeast-4:333333333333:alias/logi-prod-ap-southeast-4-files',
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
});

describe('tenant file access', () => {
  // The policy's decisions: test/constructs/storage/tenant-file-access.test.ts.
  test("the tenant file access policy is on this region's file bucket", () => {
    const bucket = Object.keys(
      primary.findResources('AWS::S3::Bucket', {
        Properties: { BucketName: 'logi-prod-ap-southeast-2-files' },
      }),
    )[0];
    primary.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Resource: {
              'Fn::Join': [
                '',
                [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/tenants/${aws:PrincipalTag/tenant-id}/*'],
              ],
            },
          }),
        ]),
      },
    });
  });
});

snapshotTests('Storage');
