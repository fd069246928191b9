import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { AuditBucketProps } from '../../../lib/constructs/security/audit-bucket';
import { AuditBucket } from '../../../lib/constructs/security/audit-bucket';
import { bareStack } from '../../support/bare-stack';
import { TLS_ONLY_BUCKET_POLICY } from '../../support/bucket-policy';

function build(props: Partial<AuditBucketProps> = {}) {
  const stack = bareStack();
  new AuditBucket(stack, 'Audit', {
    bucketName: 'logi-prod-ap-southeast-2-audit',
    key: new kms.Key(stack, 'Key'),
    accessLogsBucketName: 'logi-prod-ap-southeast-2-access-logs',
    lockMode: 'COMPLIANCE',
    retentionDays: 365,
    protection: { breakGlassRoleArn: 'arn:aws:iam::333333333333:role/platform-break-glass' },
    ...props,
  });
  return Template.fromStack(stack);
}

test('object-locked, versioned, SSE-KMS with bucket keys, access-logged, private, retained', () => {
  build().hasResource('AWS::S3::Bucket', {
    Properties: {
      BucketName: 'logi-prod-ap-southeast-2-audit',
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 365 } },
      },
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
            },
          },
        ],
      },
      LoggingConfiguration: {
        DestinationBucketName: 'logi-prod-ap-southeast-2-access-logs',
        LogFilePrefix: 'logi-prod-ap-southeast-2-audit/',
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
    },
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
  });
});

test('objects expire after the retention period, old versions a day later', () => {
  build({ retentionDays: 400 }).hasResourceProperties('AWS::S3::Bucket', {
    LifecycleConfiguration: {
      Rules: [
        Match.objectLike({
          Id: 'expire-audit-evidence',
          ExpirationInDays: 400,
          NoncurrentVersionExpiration: { NoncurrentDays: 1 },
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
          Status: 'Enabled',
        }),
      ],
    },
  });
});

test('governance mode outside production', () => {
  build({ lockMode: 'GOVERNANCE', retentionDays: 30 }).hasResourceProperties('AWS::S3::Bucket', {
    ObjectLockConfiguration: { Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } } },
  });
});

test('TLS 1.2 or newer only', () => {
  build().hasResourceProperties('AWS::S3::BucketPolicy', TLS_ONLY_BUCKET_POLICY);
});

test('versions, configuration, SSE-C and other keys are denied by the bucket policy', () => {
  const policy = Object.values(build().findResources('AWS::S3::BucketPolicy'))[0];
  const sids = (policy.Properties.PolicyDocument.Statement as { Sid?: string }[]).map((s) => s.Sid);
  expect(sids).toEqual(
    expect.arrayContaining([
      'DenyVersionDeletionExceptNamedRoles',
      'DenyConfigurationChangesExceptDeploymentAndBreakGlass',
      'DenySseC',
      'DenyOtherEncryption',
      'DenyOtherKeys',
    ]),
  );
});
