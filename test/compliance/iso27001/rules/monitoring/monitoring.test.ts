import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Stack } from 'aws-cdk-lib';
import { AlarmTopicHasSubscription } from '../../../../../packages/cdk-iso27001/src/iso27001/rules';
import { testApp } from '../../../../support/app';
import {
  COMPLIANT,
  newStack,
  NON_COMPLIANT,
  NOT_APPLICABLE,
  PRIMARY,
  PROD_ACCOUNT,
} from '../rule-harness';

function alarmOn(stack: Stack, id: string, topic: sns.ITopic): void {
  const metric = new cloudwatch.Metric({ namespace: 'N', metricName: 'M' });
  metric
    .createAlarm(stack, id, { threshold: 1, evaluationPeriods: 1 })
    .addAlarmAction(new actions.SnsAction(topic));
}

describe('AlarmTopicHasSubscription', () => {
  it('passes an alarm topic with a subscription, also across stacks', () => {
    const app = testApp();
    const env = { account: PROD_ACCOUNT, region: PRIMARY };
    const security = new Stack(app, 'Security', { env });
    const topic = new sns.Topic(security, 'OnCall');
    topic.addSubscription(new subscriptions.EmailSubscription('oncall@example.com'));
    alarmOn(new Stack(app, 'Data', { env }), 'A', topic);
    app.synth(); // cross-stack references become exports, as the pack sees them at synth
    expect(AlarmTopicHasSubscription(topic.node.defaultChild as sns.CfnTopic)).toBe(COMPLIANT);
  });

  it('fails an alarm topic no one subscribes to, even when the alarm is in another stack', () => {
    const app = testApp();
    const env = { account: PROD_ACCOUNT, region: PRIMARY };
    const security = new Stack(app, 'Security', { env });
    const topic = new sns.Topic(security, 'OnCall');
    alarmOn(new Stack(app, 'Data', { env }), 'A', topic);
    app.synth();
    expect(AlarmTopicHasSubscription(topic.node.defaultChild as sns.CfnTopic)).toBe(NON_COMPLIANT);
  });

  it('is not applicable to a topic no alarm notifies', () => {
    const topic = new sns.Topic(newStack(), 'Events');
    expect(AlarmTopicHasSubscription(topic.node.defaultChild as sns.CfnTopic)).toBe(NOT_APPLICABLE);
  });
});
