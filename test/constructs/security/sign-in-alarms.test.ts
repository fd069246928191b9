import { Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { SIGN_IN_FILTERS, SignInAlarms } from '../../../lib/constructs/security/sign-in-alarms';
import { bareStack } from '../../support/bare-stack';

function build() {
  const stack = bareStack();
  new SignInAlarms(stack, 'SignIn', {
    trailLogGroup: new logs.LogGroup(stack, 'TrailLogs'),
    topic: new sns.Topic(stack, 'OnCall'),
  });
  return Template.fromStack(stack);
}

test('a metric filter per sign-in pattern on the trail log group', () => {
  const template = build();
  template.resourceCountIs('AWS::Logs::MetricFilter', 2);
  for (const [name, filter] of Object.entries(SIGN_IN_FILTERS)) {
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: { Ref: Match.stringLikeRegexp('^TrailLogs') },
      FilterPattern: filter.pattern,
      MetricTransformations: [
        { MetricNamespace: 'Platform/Security', MetricName: name, MetricValue: '1' },
      ],
    });
  }
  expect(SIGN_IN_FILTERS.RootSignIn.pattern).toContain('$.userIdentity.type = "Root"');
  expect(SIGN_IN_FILTERS.SignInWithoutMfa.pattern).toContain(
    '$.additionalEventData.MFAUsed = "No"',
  );
});

test('each alarms on-call at the first occurrence in 5 minutes, quiet without data', () => {
  const template = build();
  const [topic] = Object.keys(template.findResources('AWS::SNS::Topic'));
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
  expect(alarms.map((a) => a.Properties.MetricName).sort()).toEqual(
    Object.keys(SIGN_IN_FILTERS).sort(),
  );
  for (const alarm of alarms) {
    expect(alarm.Properties).toMatchObject({
      Namespace: 'Platform/Security',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: topic }],
    });
  }
});
