import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  PRIVATE_BUCKET,
  sendEventsToEventBridge,
} from '../../../lib/constructs/core/private-bucket';
import { bareStack } from '../../support/bare-stack';
import { TLS_ONLY_BUCKET_POLICY } from '../../support/bucket-policy';

function build(events = false) {
  const stack = bareStack();
  const bucket = new s3.Bucket(stack, 'Bucket', { ...PRIVATE_BUCKET });
  if (events) sendEventsToEventBridge(bucket);
  return Template.fromStack(stack);
}

test('versioned, public access blocked, ACLs disabled, retained', () => {
  build().hasResource('AWS::S3::Bucket', {
    Properties: {
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    },
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
  });
});

test('denies every request without TLS and with TLS below 1.2, to any principal', () => {
  build().hasResourceProperties('AWS::S3::BucketPolicy', TLS_ONLY_BUCKET_POLICY);
});

test('EventBridge notifications on the bucket itself, with no custom-resource Lambda', () => {
  const template = build(true);
  template.hasResourceProperties('AWS::S3::Bucket', {
    NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
  });
  template.resourceCountIs('AWS::Lambda::Function', 0);
  template.resourceCountIs('Custom::S3BucketNotifications', 0);
  expect(
    Object.values(build().findResources('AWS::S3::Bucket'))[0].Properties.NotificationConfiguration,
  ).toBeUndefined();
});
