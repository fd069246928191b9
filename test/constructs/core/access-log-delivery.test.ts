import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { acknowledgeAccessLogDelivery } from '../../../lib/constructs/core/access-log-delivery';
import { bareStack } from '../../support/bare-stack';

const WARNING = Match.stringLikeRegexp('accessLogsPolicyNotAdded');

function build(acknowledged: boolean) {
  const stack = bareStack();
  const bucket = new s3.Bucket(stack, 'Bucket', {
    serverAccessLogsBucket: s3.Bucket.fromBucketName(stack, 'Logs', 'logi-access-logs'),
  });
  if (acknowledged) acknowledgeAccessLogDelivery(bucket);
  Template.fromStack(stack);
  return Annotations.fromStack(stack);
}

test('a bucket logging to another stack bucket by name raises the CDK warning', () => {
  expect(build(false).findWarning('*', WARNING)).not.toHaveLength(0);
});

test('acknowledged on the bucket, the warning is no longer raised', () => {
  expect(build(true).findWarning('*', WARNING)).toHaveLength(0);
});
