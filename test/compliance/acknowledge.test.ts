import { Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  acknowledgeAll,
  awsManagedPolicy,
  iamWildcardResource,
} from '../../lib/compliance/acknowledge';
import { testApp } from '../support/app';

const REASON = 'A compensating control described at length, long enough to pass the reason check.';

test('IAM finding ids carry the partition as the <AWS::Partition> token cdk-nag writes', () => {
  expect(awsManagedPolicy('service-role/AWS_ConfigRole')).toBe(
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWS_ConfigRole]',
  );
  expect(iamWildcardResource('s3:::bucket/*')).toBe(
    'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::bucket/*]',
  );
});

test('acknowledgeAll puts every finding, with the one reason, on the one resource', () => {
  const stack = new Stack(testApp(), 'Acks');
  const bucket = new s3.Bucket(stack, 'Bucket');
  acknowledgeAll(
    bucket,
    [
      ['ISO.27001.2022', 'ISO.27001.2022-S3CrossRegionReplication'],
      ['NIST.800.53.R5', 'NIST.800.53.R5-S3BucketReplicationEnabled'],
    ],
    REASON,
  );
  const entries = bucket.node.defaultChild!.node.metadata.filter(
    (m) => m.type === 'aws:cdk:acknowledged-rules',
  );
  expect(Object.assign({}, ...entries.map((e) => e.data))).toEqual({
    'ISO.27001.2022::ISO.27001.2022-S3CrossRegionReplication': REASON,
    'NIST.800.53.R5::NIST.800.53.R5-S3BucketReplicationEnabled': REASON,
  });
  expect(bucket.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules')).toEqual([]);
  expect(() => acknowledgeAll(bucket, [['AwsSolutions', 'AwsSolutions-S1']], 'short')).toThrow(
    /reason must state the compensating control/,
  );
});
