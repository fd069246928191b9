import type { Template } from 'aws-cdk-lib/assertions';
import { Match } from 'aws-cdk-lib/assertions';
import { stackTemplate } from '../support/default-platform';
import { snapshotTests } from '../support/stack-snapshots';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let primary: Template;
let secondary: Template;

beforeAll(() => {
  primary = stackTemplate('prod-apse2-Security');
  secondary = stackTemplate('prod-apse4-Security');
});

const ref = (template: Template, type: string, props: Json = {}) => {
  const found = Object.keys(template.findResources(type, { Properties: props }));
  expect(found).toHaveLength(1);
  return found[0];
};

/** Logical id of the on-call topic of security alerts. */
const securityTopic = (template: Template, region: string) =>
  ref(template, 'AWS::SNS::Topic', { TopicName: `logi-prod-${region}-oncall-security` });

describe('CloudTrail', () => {
  test('one multi-region trail per account: in the primary region only', () => {
    primary.resourceCountIs('AWS::CloudTrail::Trail', 1);
    secondary.resourceCountIs('AWS::CloudTrail::Trail', 0);
  });

  // The trail's own settings and grants: test/constructs/security/audit-trail.test.ts.
  test('the trail delivers to the audit bucket and key and its log group', () => {
    const bucket = ref(primary, 'AWS::S3::Bucket', {
      BucketName: 'logi-prod-ap-southeast-2-audit',
    });
    const key = ref(primary, 'AWS::KMS::Alias', {
      AliasName: 'alias/logi-prod-ap-southeast-2-audit',
    });
    const aliasTarget = primary.toJSON().Resources[key].Properties.TargetKeyId;
    primary.hasResourceProperties('AWS::CloudTrail::Trail', {
      TrailName: 'logi-prod-trail',
      S3BucketName: { Ref: bucket },
      S3KeyPrefix: 'cloudtrail',
      KMSKeyId: aliasTarget,
      CloudWatchLogsLogGroupArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('TrailLogGroup'), 'Arn'] },
      CloudWatchLogsRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('TrailLogsRole'), 'Arn'] },
    });
  });

  test('management events and S3 data events on the file and archive buckets of both regions', () => {
    primary.hasResourceProperties('AWS::CloudTrail::Trail', {
      AdvancedEventSelectors: [
        { FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
        {
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Data'] },
            { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
            {
              Field: 'resources.ARN',
              StartsWith: [
                'arn:aws:s3:::logi-prod-ap-southeast-2-files/',
                'arn:aws:s3:::logi-prod-ap-southeast-2-archive/',
                'arn:aws:s3:::logi-prod-ap-southeast-4-files/',
                'arn:aws:s3:::logi-prod-ap-southeast-4-archive/',
              ],
            },
          ],
        },
      ],
    });
  });

  test('its log group: the stack logs key, configured retention, retained', () => {
    primary.hasResource('AWS::Logs::LogGroup', {
      Properties: {
        LogGroupName: '/logi-prod-ap-southeast-2-cloudtrail',
        RetentionInDays: 365,
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^LogsKey'), 'Arn'] },
      },
      DeletionPolicy: 'Retain',
    });
  });

  test('each region has its audit bucket, locked as configured, logging to its access-logs bucket', () => {
    // The bucket's own promises: test/constructs/security/audit-bucket.test.ts.
    for (const [template, region] of [
      [primary, 'ap-southeast-2'],
      [secondary, 'ap-southeast-4'],
    ] as const) {
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketName: `logi-prod-${region}-audit`,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 365 } },
        },
        LoggingConfiguration: {
          DestinationBucketName: `logi-prod-${region}-access-logs`,
          LogFilePrefix: `logi-prod-${region}-audit/`,
        },
      });
    }
  });

  test('root and no-MFA sign-ins of every region alarm from the trail log group', () => {
    // Two sign-in filters, and three for IAM and break-glass changes (GlobalChangeAlarms).
    // The patterns: test/constructs/security/sign-in-alarms.test.ts, global-change-alarms.test.ts.
    primary.resourceCountIs('AWS::Logs::MetricFilter', 5);
    primary.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: Match.stringLikeRegexp('"\\*/platform-break-glass"'),
    });
    // The trail's alarms (the others are the tenant claim function's, FunctionAlarms).
    const alarms = Object.fromEntries(
      Object.entries(primary.findResources('AWS::CloudWatch::Alarm')).filter(
        ([id]) => !id.startsWith('FunctionAlarms'),
      ),
    );
    expect(Object.keys(alarms)).toHaveLength(5);
    const topic = securityTopic(primary, 'ap-southeast-2');
    for (const alarm of Object.values(alarms)) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topic }]);
    }
  });
});

describe('GuardDuty', () => {
  test('a detector in both regions', () => {
    // Its protection plans: test/constructs/security/threat-detection.test.ts.
    primary.resourceCountIs('AWS::GuardDuty::Detector', 1);
    secondary.resourceCountIs('AWS::GuardDuty::Detector', 1);
  });
});

describe('Security Hub', () => {
  test('FSBP and NIST 800-53 rev. 5 standards with regional ARNs, after the hub', () => {
    for (const [template, region] of [
      [primary, 'ap-southeast-2'],
      [secondary, 'ap-southeast-4'],
    ] as const) {
      const hub = ref(template, 'AWS::SecurityHub::Hub', { EnableDefaultStandards: false });
      const standards = template.findResources('AWS::SecurityHub::Standard');
      expect(Object.values(standards).map((s) => s.Properties.StandardsArn)).toEqual([
        `arn:aws:securityhub:${region}::standards/aws-foundational-security-best-practices/v/1.0.0`,
        `arn:aws:securityhub:${region}::standards/nist-800-53/v/5.0.0`,
      ]);
      for (const standard of Object.values(standards)) expect(standard.DependsOn).toContain(hub);
    }
  });
});

describe('AWS Config', () => {
  test('a recorder of every resource type; global types in the primary region only', () => {
    primary.hasResourceProperties('AWS::Config::ConfigurationRecorder', {
      RecordingGroup: { AllSupported: true, IncludeGlobalResourceTypes: true },
      RoleARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('ConfigRole'), 'Arn'] },
    });
    secondary.hasResourceProperties('AWS::Config::ConfigurationRecorder', {
      RecordingGroup: { AllSupported: true, IncludeGlobalResourceTypes: false },
    });
  });

  test('a delivery channel into the audit bucket of the region', () => {
    // Its settings and grants: test/constructs/security/config-recorder.test.ts.
    const bucket = ref(primary, 'AWS::S3::Bucket', {
      BucketName: 'logi-prod-ap-southeast-2-audit',
    });
    primary.hasResourceProperties('AWS::Config::DeliveryChannel', {
      S3BucketName: { Ref: bucket },
      S3KeyPrefix: 'config',
      S3KmsKeyArn: Match.anyValue(),
      ConfigSnapshotDeliveryProperties: { DeliveryFrequency: 'TwentyFour_Hours' },
    });
  });
});

test('IAM Access Analyzer for the account, in both regions', () => {
  primary.hasResourceProperties('AWS::AccessAnalyzer::Analyzer', {
    Type: 'ACCOUNT',
    AnalyzerName: 'logi-prod-ap-southeast-2-access-analyzer',
  });
  secondary.resourceCountIs('AWS::AccessAnalyzer::Analyzer', 1);
});

describe('EventBridge rules to the on-call topic', () => {
  const patterns: [string, Json][] = [
    [
      'GuardDuty severity >= 7',
      {
        source: ['aws.guardduty'],
        'detail-type': ['GuardDuty Finding'],
        detail: { severity: [{ numeric: ['>=', 7] }] },
      },
    ],
    [
      'Security Hub HIGH and CRITICAL',
      {
        source: ['aws.securityhub'],
        'detail-type': ['Security Hub Findings - Imported'],
        detail: { findings: Match.objectLike({ Severity: { Label: ['HIGH', 'CRITICAL'] } }) },
      },
    ],
    [
      'root sign-in',
      {
        source: ['aws.signin'],
        'detail-type': ['AWS Console Sign In via CloudTrail'],
        detail: { eventName: ['ConsoleLogin'], userIdentity: { type: ['Root'] } },
      },
    ],
    [
      'console sign-in without MFA',
      {
        source: ['aws.signin'],
        'detail-type': ['AWS Console Sign In via CloudTrail'],
        detail: Match.objectLike({ additionalEventData: { MFAUsed: ['No'] } }),
      },
    ],
  ];

  test.each(patterns)('%s, in both regions, targets the security topic', (_name, pattern) => {
    for (const template of [primary, secondary]) {
      const region = template === primary ? 'ap-southeast-2' : 'ap-southeast-4';
      const topic = securityTopic(template, region);
      template.hasResourceProperties('AWS::Events::Rule', {
        State: 'ENABLED',
        EventPattern: pattern,
        Targets: [Match.objectLike({ Arn: { Ref: topic } })],
      });
    }
  });

  test('four finding and sign-in rules, seven change rules, break glass and Config per region', () => {
    primary.resourceCountIs('AWS::Events::Rule', 13);
    secondary.resourceCountIs('AWS::Events::Rule', 13);
    for (const template of [primary, secondary]) {
      template.hasResourceProperties('AWS::Events::Rule', {
        State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
        EventPattern: Match.objectLike({
          detail: Match.objectLike({
            requestParameters: { roleArn: [{ suffix: '/platform-break-glass' }] },
          }),
        }),
      });
    }
  });

  test('Security Hub of the primary aggregates the secondary; the secondary aggregates nothing', () => {
    primary.hasResourceProperties('AWS::SecurityHub::FindingAggregator', {
      RegionLinkingMode: 'SPECIFIED_REGIONS',
      Regions: ['ap-southeast-4'],
    });
    secondary.resourceCountIs('AWS::SecurityHub::FindingAggregator', 0);
  });

  test('managed Config rules in both regions, root-account rules only in the primary', () => {
    primary.resourceCountIs('AWS::Config::ConfigRule', 13);
    secondary.resourceCountIs('AWS::Config::ConfigRule', 11);
    primary.hasResourceProperties('AWS::Config::ConfigRule', {
      ConfigRuleName: 'logi-prod-ap-southeast-2-config-iam-root-access-key-check',
    });
  });
});

describe('break glass and protected keys', () => {
  test('the primary creates the break-glass role; the secondary refers to it by name', () => {
    primary.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'platform-break-glass',
      MaxSessionDuration: 3600,
    });
    expect(
      Object.keys(
        secondary.findResources('AWS::IAM::Role', {
          Properties: { RoleName: 'platform-break-glass' },
        }),
      ),
    ).toHaveLength(0);
  });

  test.each(['database', 'files', 'backup', 'audit'])(
    'prod %s key: destruction denied to all but the created break-glass role',
    (purpose) => {
      const role = ref(primary, 'AWS::IAM::Role', { RoleName: 'platform-break-glass' });
      const alias = ref(primary, 'AWS::KMS::Alias', {
        AliasName: `alias/logi-prod-ap-southeast-2-${purpose}`,
      });
      const keyId = primary.toJSON().Resources[alias].Properties.TargetKeyId[
        'Fn::GetAtt'
      ][0] as string;
      const statements = primary.toJSON().Resources[keyId].Properties.KeyPolicy.Statement as Json[];
      expect(statements.find((st) => st.Sid === 'DenyKeyDestructionExceptBreakGlass')).toEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: ['kms:DisableKey', 'kms:ScheduleKeyDeletion'],
          Condition: { ArnNotEquals: { 'aws:PrincipalArn': { 'Fn::GetAtt': [role, 'Arn'] } } },
        }),
      );
    },
  );

  test('the alerts key and the logs keys are not protected (not data or evidence)', () => {
    for (const [id, r] of Object.entries(primary.findResources('AWS::KMS::Key'))) {
      const text = JSON.stringify(r.Properties.Description);
      const isProtected = JSON.stringify(r).includes('DenyKeyDestructionExceptBreakGlass');
      if (/on-call topic|log groups/.test(text)) expect([id, isProtected]).toEqual([id, false]);
    }
  });
});

test('keeps its per-purpose keys and the on-call topic', () => {
  for (const purpose of ['database', 'files', 'backup', 'alerts', 'audit']) {
    primary.hasResourceProperties('AWS::KMS::Alias', {
      AliasName: `alias/logi-prod-ap-southeast-2-${purpose}`,
    });
  }
  primary.hasResourceProperties('AWS::SNS::Topic', {
    TopicName: 'logi-prod-ap-southeast-2-oncall',
  });
});

describe('on-call alerts', () => {
  const regions: [string, () => Template][] = [
    ['ap-southeast-2', () => primary],
    ['ap-southeast-4', () => secondary],
  ];

  test.each(regions)('%s: each topic has the configured subscriber', (region, get) => {
    const template = get();
    for (const name of [`logi-prod-${region}-oncall`, `logi-prod-${region}-oncall-security`]) {
      const topic = ref(template, 'AWS::SNS::Topic', { TopicName: name });
      template.hasResourceProperties('AWS::SNS::Subscription', {
        TopicArn: { Ref: topic },
        Protocol: 'email',
        Endpoint: 'oncall-prod@example.com',
      });
    }
    template.resourceCountIs('AWS::SNS::Subscription', 2);
  });

  test.each(regions)('%s: every Allow of every topic policy is for this account', (_r, get) => {
    const policies = Object.values(get().findResources('AWS::SNS::TopicPolicy'));
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      const statements = policy.Properties.PolicyDocument.Statement as Json[];
      const allows = statements.filter((s) => s.Effect === 'Allow');
      expect(allows.length).toBeGreaterThan(0);
      for (const statement of allows) {
        expect(statement.Condition).toEqual({
          StringEquals: { 'aws:SourceAccount': '333333333333' },
        });
      }
    }
  });

  test('security alerts go to the security topic, nothing of this stack to the operational one', () => {
    const operational = ref(primary, 'AWS::SNS::Topic', {
      TopicName: 'logi-prod-ap-southeast-2-oncall',
    });
    const targets = [
      ...Object.values(primary.findResources('AWS::Events::Rule')).flatMap((r) =>
        r.Properties.Targets.map((t: Json) => t.Arn),
      ),
      ...Object.values(primary.findResources('AWS::CloudWatch::Alarm')).flatMap(
        (a) => a.Properties.AlarmActions,
      ),
    ];
    expect(targets.length).toBeGreaterThan(0);
    expect(targets).not.toContainEqual({ Ref: operational });
    expect(targets).toContainEqual({ Ref: securityTopic(primary, 'ap-southeast-2') });
  });
});

snapshotTests('Security');
