import { Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { GlobalChangeAlarms } from '../../../lib/constructs/security/global-change-alarms';
import { bareStack } from '../../support/bare-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function build() {
  const stack = bareStack();
  const alarms = new GlobalChangeAlarms(stack, 'Global', {
    trailLogGroup: new logs.LogGroup(stack, 'Trail'),
    topic: new sns.Topic(stack, 'Security'),
    breakGlassRoleName: 'platform-break-glass',
  });
  return { template: Template.fromStack(stack), alarms };
}

const { template, alarms } = build();

test('IAM policy, IAM role and break-glass filters on the trail log group', () => {
  expect(Object.keys(alarms.alarms).sort()).toEqual([
    'BreakGlassUse',
    'IamPolicyChange',
    'IamRoleChange',
  ]);
  const filters = Object.values(template.findResources('AWS::Logs::MetricFilter')) as Json[];
  expect(filters).toHaveLength(3);
  for (const f of filters) {
    expect(f.Properties.LogGroupName).toEqual({ Ref: expect.stringMatching(/^Trail/) });
    expect(f.Properties.MetricTransformations[0].MetricNamespace).toBe('Platform/Security');
  }
  template.hasResourceProperties('AWS::Logs::MetricFilter', {
    FilterPattern: Match.stringLikeRegexp('"\\*/platform-break-glass"'),
  });
  template.hasResourceProperties('AWS::Logs::MetricFilter', {
    FilterPattern: Match.stringLikeRegexp('iam.amazonaws.com.*"AttachRolePolicy"'),
  });
  template.hasResourceProperties('AWS::Logs::MetricFilter', {
    FilterPattern: Match.stringLikeRegexp('iam.amazonaws.com.*"CreateAccessKey"'),
  });
});

test('every alarm notifies the given topic and nothing else', () => {
  const all = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Json[];
  expect(all).toHaveLength(3);
  for (const alarm of all) {
    expect(alarm.Properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^Security/) }]);
    expect(alarm.Properties.Threshold).toBe(1);
  }
});
