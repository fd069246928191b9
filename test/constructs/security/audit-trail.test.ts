import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AuditTrail } from '../../../lib/constructs/security/audit-trail';
import { bareStack } from '../../support/bare-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const TRAIL_ARN = 'arn:aws:cloudtrail:ap-southeast-2:333333333333:trail/logi-prod-trail';
const FROM_TRAIL = { 'aws:SourceArn': TRAIL_ARN };

function build() {
  const stack = bareStack();
  const key = new kms.Key(stack, 'AuditKey');
  new AuditTrail(stack, 'Trail', {
    trailName: 'logi-prod-trail',
    bucket: new s3.Bucket(stack, 'Audit', { encryptionKey: key }),
    key,
    logsKey: new kms.Key(stack, 'LogsKey'),
    logGroupName: '/logi-prod-cloudtrail',
    logRetention: logs.RetentionDays.ONE_YEAR,
    dataEventBucketNames: ['logi-prod-files', 'logi-prod-archive'],
  });
  return Template.fromStack(stack);
}

const template = build();

test('logging, every region, global events, log file validation, SSE-KMS with the key', () => {
  template.hasResource('AWS::CloudTrail::Trail', {
    Properties: Match.objectLike({
      TrailName: 'logi-prod-trail',
      IsLogging: true,
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
      S3BucketName: { Ref: Match.stringLikeRegexp('^Audit') },
      S3KeyPrefix: 'cloudtrail',
      KMSKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AuditKey'), 'Arn'] },
      CloudWatchLogsLogGroupArn: {
        'Fn::GetAtt': [Match.stringLikeRegexp('^TrailLogGroup'), 'Arn'],
      },
      CloudWatchLogsRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TrailLogsRole'), 'Arn'] },
    }),
    // CloudTrail checks its access when the trail is created.
    DependsOn: Match.arrayWith([
      Match.stringLikeRegexp('^AuditPolicy'),
      Match.stringLikeRegexp('^TrailLogsPolicy'),
    ]),
  });
});

test('management events and object-level events of the named buckets only', () => {
  template.hasResourceProperties('AWS::CloudTrail::Trail', {
    AdvancedEventSelectors: [
      { FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
      {
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Data'] },
          { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
          {
            Field: 'resources.ARN',
            StartsWith: ['arn:aws:s3:::logi-prod-files/', 'arn:aws:s3:::logi-prod-archive/'],
          },
        ],
      },
    ].map((s) => Match.objectLike(s)),
  });
});

test('its log group: the logs key, the retention, the name, retained', () => {
  template.hasResource('AWS::Logs::LogGroup', {
    Properties: {
      LogGroupName: '/logi-prod-cloudtrail',
      RetentionInDays: 365,
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^LogsKey'), 'Arn'] },
    },
    DeletionPolicy: 'Retain',
  });
});

test('the logs role: assumed by this trail only, writes to its log group only, nothing inline', () => {
  template.hasResourceProperties('AWS::IAM::Role', {
    AssumeRolePolicyDocument: {
      Statement: [
        Match.objectLike({
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Condition: { StringEquals: FROM_TRAIL },
        }),
      ],
    },
    ManagedPolicyArns: [{ Ref: Match.stringLikeRegexp('^TrailLogsPolicy') }],
  });
  template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
    PolicyDocument: {
      Statement: [
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TrailLogGroup'), 'Arn'] },
        },
      ],
    },
  });
  template.resourceCountIs('AWS::IAM::Policy', 0);
});

test('CloudTrail may read the ACL and write its prefix of the bucket, for this trail only', () => {
  const [policy] = Object.values(template.findResources('AWS::S3::BucketPolicy')) as Json[];
  const statements: Json[] = policy.Properties.PolicyDocument.Statement;
  expect(statements.find((s) => s.Sid === 'AWSCloudTrailAclCheck')).toMatchObject({
    Principal: { Service: 'cloudtrail.amazonaws.com' },
    Action: 's3:GetBucketAcl',
    Condition: { StringEquals: FROM_TRAIL },
  });
  expect(statements.find((s) => s.Sid === 'AWSCloudTrailWrite')).toMatchObject({
    Principal: { Service: 'cloudtrail.amazonaws.com' },
    Action: 's3:PutObject',
    Resource: {
      'Fn::Join': [
        '',
        [
          { 'Fn::GetAtt': [expect.stringMatching(/^Audit/), 'Arn'] },
          '/cloudtrail/AWSLogs/333333333333/*',
        ],
      ],
    },
    Condition: {
      StringEquals: { ...FROM_TRAIL, 's3:x-amz-acl': 'bucket-owner-full-control' },
    },
  });
});

test('CloudTrail may use the key to encrypt log files of this account, for this trail only', () => {
  const [key] = Object.values(
    template.findResources('AWS::KMS::Key', {
      Properties: {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({ Sid: 'AllowCloudTrailToEncryptLogFiles' }),
          ]),
        },
      },
    }),
  ) as Json[];
  const statements: Json[] = key.Properties.KeyPolicy.Statement;
  expect(statements.find((s) => s.Sid === 'AllowCloudTrailToEncryptLogFiles')).toMatchObject({
    Principal: { Service: 'cloudtrail.amazonaws.com' },
    Action: 'kms:GenerateDataKey*',
    Condition: {
      StringEquals: FROM_TRAIL,
      StringLike: {
        'kms:EncryptionContext:aws:cloudtrail:arn': 'arn:aws:cloudtrail:*:333333333333:trail/*',
      },
    },
  });
  expect(statements.find((s) => s.Sid === 'AllowCloudTrailToDescribeKey')).toMatchObject({
    Action: 'kms:DescribeKey',
    Condition: { StringEquals: FROM_TRAIL },
  });
});
