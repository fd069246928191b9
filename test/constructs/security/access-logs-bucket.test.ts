import { Match, Template } from 'aws-cdk-lib/assertions';
import { AccessLogsBucket } from '../../../lib/constructs/security/access-logs-bucket';
import { bareStack } from '../../support/bare-stack';

function build() {
  const stack = bareStack();
  new AccessLogsBucket(stack, 'AccessLogs', {
    bucketName: 'logi-prod-ap-southeast-2-access-logs',
    retentionDays: 365,
    protection: { breakGlassRoleArn: 'arn:aws:iam::333333333333:role/platform-break-glass' },
  });
  return Template.fromStack(stack);
}

test('versioned, SSE-S3 (what access logging can write), private, logs expire, retained', () => {
  build().hasResource('AWS::S3::Bucket', {
    Properties: {
      BucketName: 'logi-prod-ap-southeast-2-access-logs',
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: {
        Rules: [
          Match.objectLike({
            Id: 'expire-logs',
            ExpirationInDays: 365,
            NoncurrentVersionExpiration: { NoncurrentDays: 30 },
          }),
        ],
      },
    },
    DeletionPolicy: 'Retain',
  });
});

test('TLS-only; S3 server access logging of this account (any stack) may write into it', () => {
  const [policy] = Object.values(build().findResources('AWS::S3::BucketPolicy'));
  const statements = policy.Properties.PolicyDocument.Statement;
  expect(statements).toContainEqual(
    expect.objectContaining({
      Effect: 'Deny',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    }),
  );
  expect(statements).toContainEqual(
    expect.objectContaining({
      Sid: 'S3ServerAccessLogsOfThisAccount',
      Effect: 'Allow',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 's3:PutObject',
      Condition: { StringEquals: { 'aws:SourceAccount': '333333333333' } },
    }),
  );
});

test('deleted or overwritten logs stay recoverable 30 days; versions and configuration protected', () => {
  const template = build();
  template.hasResourceProperties('AWS::S3::Bucket', {
    LifecycleConfiguration: {
      Rules: [Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 30 } })],
    },
  });
  const policy = Object.values(template.findResources('AWS::S3::BucketPolicy'))[0];
  const sids = (policy.Properties.PolicyDocument.Statement as { Sid?: string }[]).map((s) => s.Sid);
  expect(sids).toEqual(
    expect.arrayContaining([
      'DenyVersionDeletionExceptNamedRoles',
      'DenyConfigurationChangesExceptDeploymentAndBreakGlass',
      'DenySseC',
      'DenyOtherEncryption',
    ]),
  );
  expect(sids).not.toContain('DenyOtherKeys');
});
