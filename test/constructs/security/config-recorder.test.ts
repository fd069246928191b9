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

// The managed rules issue 12 (item 7) names as mirrors of the synth-time controls.
const REQUIRED_RULES = [
  'S3_BUCKET_PUBLIC_READ_PROHIBITED',
  'S3_BUCKET_SSL_REQUESTS_ONLY',
  'S3_BUCKET_VERSIONING_ENABLED',
  'RDS_STORAGE_ENCRYPTED',
  'CLOUD_TRAIL_ENABLED',
  'CMK_BACKING_KEY_ROTATION_ENABLED',
  'RESTRICTED_INCOMING_TRAFFIC',
  'INCOMING_SSH_DISABLED',
  'DYNAMODB_PITR_ENABLED',
];
const GLOBAL_RULES = ['IAM_ROOT_ACCESS_KEY_CHECK', 'ROOT_ACCOUNT_MFA_ENABLED'];

function managedRules(includeGlobalResourceTypes: boolean) {
  const template = build(includeGlobalResourceTypes);
  const [recorder] = Object.keys(template.findResources('AWS::Config::ConfigurationRecorder'));
  const [channel] = Object.keys(template.findResources('AWS::Config::DeliveryChannel'));
  const rules = Object.values(template.findResources('AWS::Config::ConfigRule'));
  return { recorder, channel, rules };
}

test.each([true, false])(
  'managed rules mirroring the synth-time controls, after the recorder; global types: %s',
  (includeGlobalResourceTypes) => {
    const { recorder, channel, rules } = managedRules(includeGlobalResourceTypes);
    const identifiers = rules.map((r) => r.Properties.Source.SourceIdentifier as string);
    expect(identifiers).toEqual(expect.arrayContaining(REQUIRED_RULES));
    for (const id of GLOBAL_RULES) {
      expect(identifiers.includes(id)).toBe(includeGlobalResourceTypes);
    }
    for (const rule of rules) {
      expect(rule.Properties.Source.Owner).toBe('AWS');
      expect(rule.DependsOn).toEqual(expect.arrayContaining([recorder, channel]));
      const id = (rule.Properties.Source.SourceIdentifier as string).toLowerCase();
      expect(rule.Properties.ConfigRuleName).toBe(`platform-${id.replace(/_/g, '-')}`);
    }
  },
);
