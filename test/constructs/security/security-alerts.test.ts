import { Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { REGIONAL_CHANGE_ALERTS } from '../../../lib/constructs/security/change-alert-patterns';
import { GlobalChangeAlarms } from '../../../lib/constructs/security/global-change-alarms';
import {
  SECURITY_ALERT_PATTERNS,
  SecurityAlerts,
} from '../../../lib/constructs/security/security-alerts';
import { bareStack } from '../../support/bare-stack';

const BREAK_GLASS = 'platform-break-glass';

let built: Template | undefined;

/** The template, synthesized once for the file (every test only reads it). */
function build(): Template {
  built ??= synthesize();
  return built;
}

function synthesize() {
  const stack = bareStack();
  const topic = new sns.Topic(stack, 'OnCall');
  new SecurityAlerts(stack, 'Alerts', {
    topic,
    breakGlassRoleName: BREAK_GLASS,
    configRuleNamePrefix: 'logi-test-config-',
  });
  new GlobalChangeAlarms(stack, 'Global', {
    trailLogGroup: new logs.LogGroup(stack, 'Trail'),
    topic,
    breakGlassRoleName: BREAK_GLASS,
  });
  return Template.fromStack(stack);
}

type Pattern = Record<string, unknown>;

/** EventBridge matching of the subset the rules use: value lists, `prefix` and `suffix`. */
function matches(pattern: Pattern, event: Record<string, unknown>): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    const value = event[key];
    if (!Array.isArray(expected)) {
      return (
        typeof value === 'object' &&
        value !== null &&
        matches(expected as Pattern, value as Pattern)
      );
    }
    return expected.some((option: unknown) => {
      if (typeof option !== 'object' || option === null) return option === value;
      const { prefix, suffix } = option as { prefix?: string; suffix?: string };
      if (typeof value !== 'string') return false;
      if (prefix !== undefined) return value.startsWith(prefix);
      if (suffix !== undefined) return value.endsWith(suffix);
      throw new Error(`unsupported pattern operator ${JSON.stringify(option)}`);
    });
  });
}

/** A CloudTrail management event as EventBridge delivers it. */
function apiCall(service: string, eventName: string, requestParameters: Pattern = {}) {
  return {
    source: `aws.${service}`,
    'detail-type': 'AWS API Call via CloudTrail',
    detail: { eventSource: `${service}.amazonaws.com`, eventName, requestParameters },
  };
}

// The changes issue 12 (item 7) requires to page on-call, in its own words, by service.
const REQUIRED_REGIONAL: [string, string[]][] = [
  ['kms', ['ScheduleKeyDeletion', 'DisableKey', 'PutKeyPolicy']],
  ['cloudtrail', ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors']],
  [
    's3',
    [
      'PutBucketPolicy',
      'DeleteBucketPolicy',
      'PutBucketLifecycle',
      'PutBucketLifecycleConfiguration',
      'PutBucketReplication',
      'DeleteBucketReplication',
      'PutObjectLockConfiguration',
      'PutBucketVersioning',
      'PutBucketEncryption',
    ],
  ],
  [
    'ec2',
    [
      'AuthorizeSecurityGroupIngress',
      'AuthorizeSecurityGroupEgress',
      'RevokeSecurityGroupIngress',
      'RevokeSecurityGroupEgress',
      'CreateNetworkAcl',
      'CreateNetworkAclEntry',
      'DeleteNetworkAcl',
      'DeleteNetworkAclEntry',
      'ReplaceNetworkAclEntry',
    ],
  ],
  [
    'backup',
    [
      'DeleteBackupVault',
      'PutBackupVaultAccessPolicy',
      'DeleteBackupVaultLockConfiguration',
      'UpdateBackupPlan',
      'DeleteBackupPlan',
      'DeleteRecoveryPoint',
    ],
  ],
];
const REQUIRED_IAM = [
  'CreatePolicy',
  'CreatePolicyVersion',
  'PutRolePolicy',
  'AttachRolePolicy',
  'DetachRolePolicy',
  'DeleteRolePolicy',
  'DeletePolicy',
  'UpdateAssumeRolePolicy',
  'CreateRole',
  'DeleteRole',
];

function rulesOf(template: Template) {
  return Object.values(template.findResources('AWS::Events::Rule')).map((r) => ({
    description: r.Properties.Description as string,
    pattern: r.Properties.EventPattern as Pattern,
    state: r.Properties.State as string,
    targets: r.Properties.Targets as Record<string, unknown>[],
  }));
}

test('one rule per pattern and per change alert, each sending to the topic', () => {
  const template = build();
  const [topic] = Object.keys(template.findResources('AWS::SNS::Topic'));
  const rules = rulesOf(template);
  const expected =
    Object.keys(SECURITY_ALERT_PATTERNS).length + Object.keys(REGIONAL_CHANGE_ALERTS).length + 2; // break-glass use and AWS Config results
  expect(rules).toHaveLength(expected);
  for (const rule of rules) {
    expect(rule.state).toMatch(/^ENABLED/);
    expect(rule.targets).toEqual([expect.objectContaining({ Arn: { Ref: topic } })]);
  }
});

test.each(REQUIRED_REGIONAL.flatMap(([service, names]) => names.map((n) => [service, n])))(
  'aws.%s %s pages on-call with a message naming the call',
  (service, eventName) => {
    const event = apiCall(service, eventName);
    const rules = rulesOf(build()).filter((r) => matches(r.pattern, event));
    expect(rules.map((r) => r.description)).toHaveLength(1);
    const message = rules[0].targets[0].InputTransformer as Record<string, unknown>;
    expect(message.InputPathsMap).toMatchObject({
      'detail-eventName': '$.detail.eventName',
      'detail-userIdentity-arn': '$.detail.userIdentity.arn',
    });
    expect(message.InputTemplate).toMatch(
      /<detail-eventName> on <detail-requestParameters-\w+> by/,
    );
  },
);

test('unrelated calls of the same services do not page', () => {
  const rules = rulesOf(build());
  for (const event of [
    apiCall('kms', 'Decrypt'),
    apiCall('s3', 'PutObject'),
    apiCall('ec2', 'DescribeSecurityGroups'),
    apiCall('backup', 'StartBackupJob'),
  ]) {
    expect(rules.filter((r) => matches(r.pattern, event))).toEqual([]);
  }
});

test('AssumeRole of the break-glass role (any path) pages; of another role, it does not', () => {
  const rules = rulesOf(build());
  const assume = (roleArn: string) => apiCall('sts', 'AssumeRole', { roleArn });
  const paging = (roleArn: string) => rules.filter((r) => matches(r.pattern, assume(roleArn)));
  const [rule] = paging(`arn:aws:iam::333333333333:role/${BREAK_GLASS}`);
  expect(rule.description).toBe('Sends BreakGlassUse events to on-call');
  // AssumeRole is a read-only event: only this state lets the rule see it.
  expect(rule.state).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
  expect(paging(`arn:aws:iam::333333333333:role/ops/${BREAK_GLASS}`)).toHaveLength(1);
  expect(paging(`arn:aws:iam::333333333333:role/not-${BREAK_GLASS}`)).toEqual([]);
  expect(paging('arn:aws:iam::333333333333:role/app')).toEqual([]);
});

test('NON_COMPLIANT results of the platform Config rules page; of other rules, not', () => {
  const rules = rulesOf(build());
  const result = (configRuleName: string, complianceType: string) => ({
    source: 'aws.config',
    'detail-type': 'Config Rules Compliance Change',
    detail: {
      messageType: 'ComplianceChangeNotification',
      configRuleName,
      newEvaluationResult: { complianceType },
    },
  });
  const paging = (e: Record<string, unknown>) => rules.filter((r) => matches(r.pattern, e));
  expect(paging(result('logi-test-config-rds-storage-encrypted', 'NON_COMPLIANT'))).toHaveLength(1);
  expect(paging(result('logi-test-config-rds-storage-encrypted', 'COMPLIANT'))).toEqual([]);
  expect(paging(result('securityhub-rds-storage-encrypted-abc', 'NON_COMPLIANT'))).toEqual([]);
});

test('IAM changes and break-glass use through any endpoint: alarms on the trail log group', () => {
  const template = build();
  const [topic] = Object.keys(template.findResources('AWS::SNS::Topic'));
  const filters = Object.values(template.findResources('AWS::Logs::MetricFilter')).map(
    (f) => f.Properties.FilterPattern as string,
  );
  const iamFilters = filters.filter((p) => p.includes('$.eventSource = "iam.amazonaws.com"'));
  for (const eventName of REQUIRED_IAM) {
    expect(iamFilters.filter((p) => p.includes(`($.eventName = "${eventName}")`))).toHaveLength(1);
  }
  for (const pattern of filters) expect(pattern.length).toBeLessThanOrEqual(1024);
  expect(filters).toContainEqual(
    expect.stringMatching(
      new RegExp(`"AssumeRole".*\\$\\.requestParameters\\.roleArn = "\\*/${BREAK_GLASS}"`),
    ),
  );
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
  expect(alarms).toHaveLength(filters.length);
  for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topic }]);
});

test.each([
  [
    'GuardDutyHighSeverity',
    { source: ['aws.guardduty'], detail: { severity: [{ numeric: ['>=', 7] }] } },
  ],
  [
    'SecurityHubHighCritical',
    {
      source: ['aws.securityhub'],
      detail: {
        findings: {
          Severity: { Label: ['HIGH', 'CRITICAL'] },
          Workflow: { Status: ['NEW'] },
          RecordState: ['ACTIVE'],
        },
      },
    },
  ],
  ['RootSignIn', { source: ['aws.signin'], detail: { userIdentity: { type: ['Root'] } } }],
  [
    'SignInWithoutMfa',
    {
      source: ['aws.signin'],
      detail: {
        additionalEventData: { MFAUsed: ['No'] },
        userIdentity: { type: ['IAMUser', 'Root'] },
      },
    },
  ],
])('%s matches its events', (name, pattern) => {
  const rules = Object.values(build().findResources('AWS::Events::Rule'));
  const rule = rules.find((r) => r.Properties.Description === `Sends ${name} events to on-call`);
  expect(rule?.Properties.EventPattern).toMatchObject(pattern);
});
