import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ConfigRecorder } from '../../../lib/constructs/security/config-recorder';
import { bareStack } from '../../support/bare-stack';

function build(includeGlobalResourceTypes: boolean) {
  const stack = bareStack();
  new ConfigRecorder(stack, 'Config', {
    bucket: new s3.Bucket(stack, 'Audit'),
    key: new kms.Key(stack, 'Key'),
    includeGlobalResourceTypes,
  });
  return Template.fromStack(stack);
}

test.each([true, false])(
  'records every resource type continuously; global types: %s',
  (includeGlobalResourceTypes) => {
    build(includeGlobalResourceTypes).hasResourceProperties('AWS::Config::ConfigurationRecorder', {
      RecordingGroup: {
        AllSupported: true,
        IncludeGlobalResourceTypes: includeGlobalResourceTypes,
      },
      RecordingMode: { RecordingFrequency: 'CONTINUOUS' },
      RoleARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('ConfigRole'), 'Arn'] },
    });
  },
);

test('the role: AWS_ConfigRole, assumable by AWS Config of this account only', () => {
  build(true).hasResourceProperties('AWS::IAM::Role', {
    AssumeRolePolicyDocument: {
      Statement: [
        Match.objectLike({
          Principal: { Service: 'config.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': '333333333333' } },
        }),
      ],
    },
    ManagedPolicyArns: [
      {
        'Fn::Join': [
          '',
          ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWS_ConfigRole'],
        ],
      },
    ],
  });
});

test('daily snapshots into the bucket under config/, SSE-KMS, after the recorder and the policy', () => {
  const template = build(true);
  const [channelId, channel] = Object.entries(
    template.findResources('AWS::Config::DeliveryChannel'),
  )[0];
  expect(channelId).toMatch(/DeliveryChannel/);
  expect(channel.Properties).toEqual({
    S3BucketName: { Ref: expect.stringMatching(/^Audit/) },
    S3KeyPrefix: 'config',
    S3KmsKeyArn: { 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] },
    ConfigSnapshotDeliveryProperties: { DeliveryFrequency: 'TwentyFour_Hours' },
  });
  const dependsOn = channel.DependsOn as string[];
  expect(dependsOn.some((d) => /Recorder/.test(d))).toBe(true);
  expect(dependsOn.some((d) => /AuditPolicy/.test(d))).toBe(true);
});

test('AWS Config of this account may check the bucket, deliver to its prefix and use the key', () => {
  const template = build(true);
  template.hasResourceProperties('AWS::S3::BucketPolicy', {
    PolicyDocument: {
      Statement: Match.arrayWith([
        Match.objectLike({
          Sid: 'AWSConfigBucketPermissionsCheck',
          Action: ['s3:GetBucketAcl', 's3:ListBucket'],
          Condition: { StringEquals: { 'aws:SourceAccount': '333333333333' } },
        }),
        Match.objectLike({
          Sid: 'AWSConfigBucketDelivery',
          Action: 's3:PutObject',
          Resource: {
            'Fn::Join': ['', [Match.anyValue(), '/config/AWSLogs/333333333333/Config/*']],
          },
          Condition: {
            StringEquals: {
              'aws:SourceAccount': '333333333333',
              's3:x-amz-acl': 'bucket-owner-full-control',
            },
          },
        }),
      ]),
    },
  });
  template.hasResourceProperties('AWS::KMS::Key', {
    KeyPolicy: {
      Statement: Match.arrayWith([
        Match.objectLike({
          Sid: 'AllowConfigToEncryptDeliveries',
          Principal: { Service: 'config.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          Condition: { StringEquals: { 'aws:SourceAccount': '333333333333' } },
        }),
      ]),
    },
  });
});
