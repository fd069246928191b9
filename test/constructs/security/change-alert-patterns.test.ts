import {
  breakGlassPattern,
  changePattern,
  CLOUDTRAIL_API_CALL,
  globalChangeFilters,
  IAM_POLICY_EVENTS,
  IAM_ROLE_EVENTS,
  nonCompliantPattern,
  REGIONAL_CHANGE_ALERTS,
} from '../../../lib/constructs/security/change-alert-patterns';

test('every regional alert: its service source and CloudTrail event source, API calls only', () => {
  for (const alert of Object.values(REGIONAL_CHANGE_ALERTS)) {
    const service = alert.source.replace(/^aws\./, '');
    expect(alert.eventSource).toBe(`${service}.amazonaws.com`);
    expect(changePattern(alert)).toEqual({
      source: [alert.source],
      detailType: [CLOUDTRAIL_API_CALL],
      detail: { eventSource: [alert.eventSource], eventName: [...alert.eventNames] },
    });
    expect(new Set(alert.eventNames).size).toBe(alert.eventNames.length);
  }
});

test('IAM is not a regional alert: its events reach EventBridge in us-east-1 only', () => {
  const sources = Object.values(REGIONAL_CHANGE_ALERTS).map((a) => a.source);
  expect(sources).not.toContain('aws.iam');
});

test('the changes an attacker makes to blind or destroy are covered', () => {
  const names = Object.values(REGIONAL_CHANGE_ALERTS).flatMap((a) => [...a.eventNames]);
  for (const name of [
    'ScheduleKeyDeletion',
    'DisableKey',
    'PutKeyPolicy',
    'StopLogging',
    'DeleteTrail',
    'PutBucketPolicy',
    'PutBucketLifecycle',
    'PutBucketVersioning',
    'DeleteBucketReplication',
    'AuthorizeSecurityGroupIngress',
    'ReplaceNetworkAclEntry',
    'DeleteBackupVault',
    'DeleteRecoveryPoint',
    'DeleteBackupPlan',
  ]) {
    expect(names).toContain(name);
  }
  expect([...IAM_POLICY_EVENTS]).toEqual(
    expect.arrayContaining(['AttachRolePolicy', 'PutRolePolicy', 'CreatePolicyVersion']),
  );
  expect([...IAM_ROLE_EVENTS]).toEqual(
    expect.arrayContaining(['UpdateAssumeRolePolicy', 'CreateAccessKey', 'CreateUser']),
  );
});

test('break glass: AssumeRole of the role with any path, and of no role merely ending in its name', () => {
  expect(breakGlassPattern('platform-break-glass')).toEqual({
    source: ['aws.sts'],
    detailType: [CLOUDTRAIL_API_CALL],
    detail: {
      eventSource: ['sts.amazonaws.com'],
      eventName: ['AssumeRole'],
      requestParameters: { roleArn: [{ suffix: '/platform-break-glass' }] },
    },
  });
});

test('global filters: one condition per IAM event, joined by OR under the IAM event source', () => {
  const filters = globalChangeFilters('platform-break-glass');
  expect(Object.keys(filters).sort()).toEqual([
    'BreakGlassUse',
    'IamPolicyChange',
    'IamRoleChange',
  ]);
  for (const [name, events] of [
    ['IamPolicyChange', IAM_POLICY_EVENTS],
    ['IamRoleChange', IAM_ROLE_EVENTS],
  ] as const) {
    const { pattern } = filters[name];
    expect(pattern.startsWith('{ ($.eventSource = "iam.amazonaws.com") && (')).toBe(true);
    expect(pattern.match(/\$\.eventName = "/g)).toHaveLength(events.length);
    for (const event of events) expect(pattern).toContain(`($.eventName = "${event}")`);
  }
  expect(filters.BreakGlassUse.pattern).toBe(
    '{ ($.eventSource = "sts.amazonaws.com") && ($.eventName = "AssumeRole") && ' +
      '($.requestParameters.roleArn = "*/platform-break-glass") }',
  );
});

test('Config non-compliance of the platform rules only, by name prefix', () => {
  expect(nonCompliantPattern('logi-prod-ap-southeast-2-config-')).toEqual({
    source: ['aws.config'],
    detailType: ['Config Rules Compliance Change'],
    detail: {
      messageType: ['ComplianceChangeNotification'],
      configRuleName: [{ prefix: 'logi-prod-ap-southeast-2-config-' }],
      newEvaluationResult: { complianceType: ['NON_COMPLIANT'] },
    },
  });
});
