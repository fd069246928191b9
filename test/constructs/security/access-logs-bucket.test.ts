import { Match, Template } from 'aws-cdk-lib/assertions';
import { AccessLogsBucket } from '../../../lib/constructs/security/access-logs-bucket';
import { bareStack } from '../../support/bare-stack';

function build() {
  const stack = bareStack();
  new AccessLogsBucket(stack, 'AccessLogs', {
    bucketName: 'logi-prod-ap-southeast-2-access-logs',
    retentionDays: 365,
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
            NoncurrentVersionExpiration: { NoncurrentDays: 1 },
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
