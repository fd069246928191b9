import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { LifecycleAlarms, SWEEP_METRIC } from '../../../lib/constructs/lifecycle/lifecycle-alarms';
import { bareStack } from '../../support/bare-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function build() {
  const stack = bareStack();
  const fn = (name: string) => lambda.Function.fromFunctionName(stack, name, `logi-prod-${name}`);
  new LifecycleAlarms(stack, 'Alarms', {
    topic: new sns.Topic(stack, 'OnCall'),
    functions: { sweep: fn('sweep'), archive: fn('archive') },
    deadLetterQueues: {
      archive: sqs.Queue.fromQueueArn(
        stack,
        'Dlq',
        'arn:aws:sqs:ap-southeast-2:333333333333:archive-dlq',
      ),
    },
    namePrefix: 'logi-prod-lifecycle',
  });
  return Template.fromStack(stack);
}

const template = build();
const alarms = () => Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Json[];
const alarm = (name: string) => alarms().find((a) => a.Properties.AlarmName === name)!.Properties;

test('every alarm notifies on-call when it fires and when it clears', () => {
  expect(alarms()).toHaveLength(5);
  for (const a of alarms()) {
    expect(a.Properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^OnCall/) }]);
    expect(a.Properties.OKActions).toEqual([{ Ref: expect.stringMatching(/^OnCall/) }]);
  }
});

test('any error of a function in five minutes', () => {
  expect(alarm('logi-prod-lifecycle-sweep-errors')).toMatchObject({
    Namespace: 'AWS/Lambda',
    MetricName: 'Errors',
    Dimensions: [{ Name: 'FunctionName', Value: 'logi-prod-sweep' }],
    Statistic: 'Sum',
    Period: 300,
    Threshold: 0,
    ComparisonOperator: 'GreaterThanThreshold',
    TreatMissingData: 'notBreaching',
  });
  expect(alarm('logi-prod-lifecycle-archive-errors')).toBeDefined();
});

test('any message in a dead-letter queue', () => {
  expect(alarm('logi-prod-lifecycle-archive-dead-letters')).toMatchObject({
    Namespace: 'AWS/SQS',
    MetricName: 'ApproximateNumberOfMessagesVisible',
    Dimensions: [{ Name: 'QueueName', Value: 'archive-dlq' }],
    Statistic: 'Maximum',
    Threshold: 0,
    ComparisonOperator: 'GreaterThanThreshold',
  });
});

test('a sweep that did not complete in a day, missing data breaching', () => {
  expect(alarm('logi-prod-lifecycle-sweep-missed')).toMatchObject({
    Namespace: SWEEP_METRIC.namespace,
    MetricName: SWEEP_METRIC.metricName,
    Dimensions: [{ Name: 'Service', Value: 'lifecycle-sweep' }],
    Statistic: 'Sum',
    Period: 86400,
    Threshold: 1,
    ComparisonOperator: 'LessThanThreshold',
    TreatMissingData: 'breaching',
  });
});
