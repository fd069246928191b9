import { Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { trailEventAlarm } from '../../../lib/constructs/security/trail-event-alarm';
import { bareStack } from '../../support/bare-stack';

function build() {
  const stack = bareStack();
  const alarm = trailEventAlarm(stack, 'RootSignIn', {
    logGroup: new logs.LogGroup(stack, 'Trail'),
    pattern: '{ $.userIdentity.type = "Root" }',
    description: 'root signed in',
    namespace: 'Platform/Security',
    topic: new sns.Topic(stack, 'Security'),
  });
  return { template: Template.fromStack(stack), alarm, stack };
}

test('a filter on the trail log group counting each matching record once', () => {
  build().template.hasResourceProperties('AWS::Logs::MetricFilter', {
    LogGroupName: { Ref: Match.stringLikeRegexp('^Trail') },
    FilterPattern: '{ $.userIdentity.type = "Root" }',
    MetricTransformations: [
      { MetricNamespace: 'Platform/Security', MetricName: 'RootSignIn', MetricValue: '1' },
    ],
  });
});

test('fires on the first record in five minutes, quiet without data, notifies the topic', () => {
  build().template.hasResourceProperties('AWS::CloudWatch::Alarm', {
    AlarmDescription: Match.stringLikeRegexp(
      '^root signed in[.] Runbook: docs/runbooks/alarms[.]md#',
    ),
    Namespace: 'Platform/Security',
    MetricName: 'RootSignIn',
    Statistic: 'Sum',
    Period: 300,
    Threshold: 1,
    EvaluationPeriods: 1,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    TreatMissingData: 'notBreaching',
    AlarmActions: [{ Ref: Match.stringLikeRegexp('^Security') }],
  });
});

test('ids <name>Filter and <name>Alarm, so the logical ids stay put', () => {
  const { stack } = build();
  expect(stack.node.tryFindChild('RootSignInFilter')).toBeDefined();
  expect(stack.node.tryFindChild('RootSignInAlarm')).toBeDefined();
});
