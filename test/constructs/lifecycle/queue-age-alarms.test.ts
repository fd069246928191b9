import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { JobsQueue } from '../../../lib/constructs/lifecycle/jobs-queue';
import {
  QueueAgeAlarms,
  queueAgeThresholdSeconds,
} from '../../../lib/constructs/lifecycle/queue-age-alarms';
import { bareStack } from '../../support/bare-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PREFIX = 'logi-prod-ap-southeast-2-lifecycle';

const stack = bareStack();
const key = new kms.Key(stack, 'Key');
// The archive worker's 15-minute timeout with the default 3 receives; the purge worker's 5 minutes
// with 5 receives.
const archive = new JobsQueue(stack, 'ArchiveJobs', { key, consumerTimeout: Duration.minutes(15) });
const purge = new JobsQueue(stack, 'PurgeJobs', {
  key,
  consumerTimeout: Duration.minutes(5),
  maxReceiveCount: 5,
});
const construct = new QueueAgeAlarms(stack, 'QueueAgeAlarms', {
  target: { topic: new sns.Topic(stack, 'OnCall'), namePrefix: PREFIX },
  queues: { 'archive-jobs': archive, 'purge-jobs': purge },
});
const template = Template.fromStack(stack);
const [topic] = Object.keys(template.findResources('AWS::SNS::Topic'));
const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
  (a) => a.Properties as Json,
);
const idOf = (q: sqs.Queue) => stack.getLogicalId(q.node.defaultChild as sqs.CfnQueue);
const named = (what: string) => {
  const alarm = alarms.find((a) => a.AlarmName === `${PREFIX}-${what}`);
  if (!alarm) throw new Error(`no alarm ${PREFIX}-${what}`);
  return alarm;
};

test('one alarm per job queue, named <prefix>-<queue>-oldest-message-age', () => {
  expect(alarms.map((a) => a.AlarmName).sort()).toEqual([
    `${PREFIX}-archive-jobs-oldest-message-age`,
    `${PREFIX}-purge-jobs-oldest-message-age`,
  ]);
  expect(construct.alarms).toHaveLength(2);
});

test('each watches its own jobs queue (not its dead-letter queue): the oldest message’s age, worst of 5 minutes', () => {
  for (const [what, jobs] of [
    ['archive-jobs', archive],
    ['purge-jobs', purge],
  ] as const) {
    expect(named(`${what}-oldest-message-age`)).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [idOf(jobs.queue), 'QueueName'] } }],
      Statistic: 'Maximum',
      Period: 300,
    });
  }
});

test('the threshold is every receive before the DLQ (visibility × max receives) plus 15 minutes', () => {
  // archive: visibility 6 × 15 min, 3 receives; purge: 6 × 5 min, 5 receives.
  expect(queueAgeThresholdSeconds(archive)).toBe(6 * 900 * 3 + 900);
  expect(queueAgeThresholdSeconds(purge)).toBe(6 * 300 * 5 + 900);
  expect(named('archive-jobs-oldest-message-age').Threshold).toBe(6 * 900 * 3 + 900);
  expect(named('purge-jobs-oldest-message-age').Threshold).toBe(6 * 300 * 5 + 900);
});

test('a message still within its retries never fires: the threshold exceeds the queue’s own redrive time', () => {
  for (const jobs of [archive, purge]) {
    const cfn = jobs.queue.node.defaultChild as sqs.CfnQueue;
    const redrive = cfn.redrivePolicy as { maxReceiveCount: number };
    expect(queueAgeThresholdSeconds(jobs)).toBeGreaterThan(
      (cfn.visibilityTimeout as number) * redrive.maxReceiveCount,
    );
  }
});

test('a stuck job alarms well before SQS drops it: the threshold is under the queue’s retention', () => {
  for (const jobs of [archive, purge]) {
    const retention = (jobs.queue.node.defaultChild as sqs.CfnQueue).messageRetentionPeriod;
    expect(queueAgeThresholdSeconds(jobs) + 3 * 300).toBeLessThan(retention as number);
  }
});

test('fires on one period above the threshold, quiet without data, on-call on alarm and on recovery', () => {
  for (const alarm of alarms) {
    expect(alarm).toMatchObject({
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: topic }],
      OKActions: [{ Ref: topic }],
    });
  }
});

test('the description states the threshold in minutes and links the queue-age runbook', () => {
  const description = named('archive-jobs-oldest-message-age').AlarmDescription as string;
  expect(description).toContain('archive-jobs queue is older than 285 minutes');
  expect(description).toMatch(/Runbook: docs\/runbooks\/alarms\.md#queue-age$/);
});

test('a queue without a literal visibility timeout is refused, not alarmed on a guess', () => {
  const other = bareStack();
  const bare = new JobsQueue(other, 'Jobs', {
    key: new kms.Key(other, 'Key'),
    consumerTimeout: Duration.minutes(1),
  });
  (bare.queue.node.defaultChild as sqs.CfnQueue).visibilityTimeout = undefined;
  expect(() => queueAgeThresholdSeconds(bare)).toThrow(
    /Test\/Jobs: the queue needs a literal visibility timeout/,
  );
  expect(
    () =>
      new QueueAgeAlarms(other, 'Alarms', {
        target: { topic: new sns.Topic(other, 'OnCall'), namePrefix: PREFIX },
        queues: { jobs: bare },
      }),
  ).toThrow(/literal visibility timeout/);
});

test('ids <queue>Age, so the logical ids stay put', () => {
  expect(construct.node.tryFindChild('archive-jobsAge')).toBeDefined();
  expect(construct.node.tryFindChild('purge-jobsAge')).toBeDefined();
});
