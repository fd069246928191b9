import { Template } from 'aws-cdk-lib/assertions';
import { LoadBalancerLogsBucket } from '../../../lib/constructs/ingress/load-balancer-logs-bucket';
import { bareStack } from '../../support/bare-stack';
import { TLS_ONLY_BUCKET_POLICY } from '../../support/bucket-policy';

const NAME = 'logi-prod-ap-southeast-2-alb-logs';

function build(retentionDays = 365) {
  const stack = bareStack();
  new LoadBalancerLogsBucket(stack, 'AlbLogs', {
    bucketName: NAME,
    accessLogsBucketName: 'logi-prod-ap-southeast-2-access-logs',
    retentionDays,
  });
  return Template.fromStack(stack);
}

test('SSE-S3 (what ALB delivery supports), versioned, private, access-logged, retained', () => {
  build().hasResource('AWS::S3::Bucket', {
    Properties: {
      BucketName: NAME,
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
        ],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LoggingConfiguration: {
        DestinationBucketName: 'logi-prod-ap-southeast-2-access-logs',
        LogFilePrefix: `${NAME}/`,
      },
    },
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
  });
});

test('logs expire after the retention period, overwritten ones 30 days later', () => {
  build(90).hasResourceProperties('AWS::S3::Bucket', {
    LifecycleConfiguration: {
      Rules: [
        {
          Id: 'expire-logs',
          Status: 'Enabled',
          ExpirationInDays: 90,
          NoncurrentVersionExpiration: { NoncurrentDays: 30 },
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
        },
      ],
    },
  });
});

test('TLS 1.2 or newer only', () => {
  build().hasResourceProperties('AWS::S3::BucketPolicy', TLS_ONLY_BUCKET_POLICY);
});
