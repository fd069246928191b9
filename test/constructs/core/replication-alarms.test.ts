import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CrossRegionReplication } from '../../../lib/constructs/core/cross-region-replication';
import {
  ReplicationAlarms,
  replicationLatencyThresholdSeconds,
} from '../../../lib/constructs/core/replication-alarms';
import { bareStack } from '../../support/bare-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PREFIX = 'logi-prod-ap-southeast-2-storage';
const SOURCE = 'logi-prod-ap-southeast-2-files';
const DESTINATION = 'logi-prod-ap-southeast-4-files';

/** Both variants on one stack: with RTC (`files`) and without (`archive`). */
const stack = bareStack();
const topicConstruct = new sns.Topic(stack, 'OnCall');
const target = { topic: topicConstruct, namePrefix: PREFIX };
const withRtc = new ReplicationAlarms(stack, 'Files', {
  target,
  name: 'files',
  sourceBucketName: SOURCE,
  destinationBucketName: DESTINATION,
  replicationTimeControl: true,
});
new ReplicationAlarms(stack, 'NoRtc', {
  target,
  name: 'nortc',
  sourceBucketName: 'src-nortc',
  destinationBucketName: 'dst-nortc',
  replicationTimeControl: false,
});
const template = Template.fromStack(stack);
const REPLICA = {
  bucketName: DESTINATION,
  region: 'ap-southeast-4',
  keyAlias: 'alias/logi-prod-ap-southeast-4-files',
};
/** The replication rule CrossRegionReplication gives the source bucket. */
const [rule] = new CrossRegionReplication(bareStack(), 'Replication', REPLICA).rules();
const [topic] = Object.keys(template.findResources('AWS::SNS::Topic'));
const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
  (a) => a.Properties as Json,
);
const named = (what: string) => {
  const alarm = alarms.find((a) => a.AlarmName === `${PREFIX}-${what}`);
  if (!alarm) throw new Error(`no alarm ${PREFIX}-${what}`);
  return alarm;
};

test('two alarms per replicated bucket: <name>-replication-failed and <name>-replication-latency', () => {
  expect(alarms.map((a) => a.AlarmName).sort()).toEqual(
    [
      `${PREFIX}-files-replication-failed`,
      `${PREFIX}-files-replication-latency`,
      `${PREFIX}-nortc-replication-failed`,
      `${PREFIX}-nortc-replication-latency`,
    ].sort(),
  );
  expect(withRtc.alarms).toHaveLength(2);
});

test('both read the S3 replication metrics of this source, destination and the rule CrossRegionReplication creates', () => {
  for (const what of ['files-replication-failed', 'files-replication-latency']) {
    const alarm = named(what);
    expect(alarm.Namespace).toBe('AWS/S3');
    expect(alarm.Dimensions).toEqual(
      expect.arrayContaining([
        { Name: 'SourceBucket', Value: SOURCE },
        { Name: 'DestinationBucket', Value: DESTINATION },
        { Name: 'RuleId', Value: rule.id },
      ]),
    );
    expect(alarm.Dimensions).toHaveLength(3);
  }
});

test('the rule they name publishes those metrics, with or without RTC (else the alarms see no data)', () => {
  for (const replicationTimeControl of [true, false]) {
    const [other] = new CrossRegionReplication(bareStack(), 'Replication', {
      ...REPLICA,
      replicationTimeControl,
    }).rules();
    expect(other.id).toBe(rule.id);
    expect(other.metrics).toBeDefined();
  }
});

test('any failed replication in five minutes fires at once', () => {
  expect(named('files-replication-failed')).toMatchObject({
    MetricName: 'OperationsFailedReplication',
    Statistic: 'Sum',
    Period: 300,
    Threshold: 0,
    ComparisonOperator: 'GreaterThanThreshold',
    EvaluationPeriods: 1,
  });
});

test('latency fires on the worst object above RTC’s 15-minute objective for 15 minutes (3 of 5-minute periods)', () => {
  expect(named('files-replication-latency')).toMatchObject({
    MetricName: 'ReplicationLatency',
    Statistic: 'Maximum',
    Period: 300,
    Threshold: 15 * 60,
    ComparisonOperator: 'GreaterThanThreshold',
    EvaluationPeriods: 3,
  });
  const latency = named('files-replication-latency');
  expect(latency.DatapointsToAlarm ?? latency.EvaluationPeriods).toBe(3);
});

test('without RTC there is no objective: the latency threshold is one hour', () => {
  expect(replicationLatencyThresholdSeconds(false)).toBe(3600);
  expect(replicationLatencyThresholdSeconds(true)).toBe(900);
  expect(named('nortc-replication-latency').Threshold).toBe(3600);
  expect(named('nortc-replication-latency').AlarmDescription).toContain('more than 60 minutes');
  expect(named('files-replication-latency').AlarmDescription).toContain('more than 15 minutes');
});

test('each alarm notifies on-call on alarm and on recovery, quiet when nothing replicates', () => {
  for (const alarm of alarms) {
    expect(alarm.AlarmActions).toEqual([{ Ref: topic }]);
    expect(alarm.OKActions).toEqual([{ Ref: topic }]);
    expect(alarm.TreatMissingData).toBe('notBreaching');
  }
});

test('descriptions name both buckets and link the file-replication runbook', () => {
  for (const what of ['files-replication-failed', 'files-replication-latency']) {
    const description = named(what).AlarmDescription as string;
    expect(description).toContain(SOURCE);
    expect(description).toContain(DESTINATION);
    expect(description).toMatch(/Runbook: docs\/runbooks\/alarms\.md#file-replication$/);
  }
});

test('ids Failed and Latency, so the logical ids stay put', () => {
  expect(withRtc.node.tryFindChild('Failed')).toBeDefined();
  expect(withRtc.node.tryFindChild('Latency')).toBeDefined();
});
