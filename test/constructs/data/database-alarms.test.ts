import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { DatabaseAlarmsProps } from '../../../lib/constructs/data/database-alarms';
import { DatabaseAlarms } from '../../../lib/constructs/data/database-alarms';
import { bareStack } from '../../support/bare-stack';

const CLUSTER = 'logi-prod-ap-southeast-4-aurora';

function build(props: Partial<DatabaseAlarmsProps> = {}) {
  const stack = bareStack();
  new DatabaseAlarms(stack, 'Alarms', {
    clusterIdentifier: CLUSTER,
    topic: new sns.Topic(stack, 'OnCall'),
    ...props,
  });
  const template = Template.fromStack(stack);
  const [topic] = Object.keys(template.findResources('AWS::SNS::Topic'));
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
    (a) => a.Properties,
  );
  return { topic, alarms, byMetric: (name: string) => alarms.find((a) => a.MetricName === name) };
}

test('CPU, freeable memory and connections of the cluster, with their default thresholds', () => {
  const { alarms, byMetric } = build();
  expect(alarms.map((a) => a.MetricName).sort()).toEqual([
    'CPUUtilization',
    'DatabaseConnections',
    'FreeableMemory',
  ]);
  expect(byMetric('CPUUtilization')).toMatchObject({
    Statistic: 'Average',
    Threshold: 80,
    ComparisonOperator: 'GreaterThanThreshold',
  });
  expect(byMetric('FreeableMemory')).toMatchObject({
    Statistic: 'Minimum',
    Threshold: 512 * 1024 * 1024,
    ComparisonOperator: 'LessThanThreshold',
  });
  expect(byMetric('DatabaseConnections')).toMatchObject({
    Statistic: 'Maximum',
    Threshold: 800,
    ComparisonOperator: 'GreaterThanThreshold',
  });
});

test('each alarm: the cluster dimension, 3 of 5 minutes, on-call on alarm and on recovery', () => {
  const { topic, alarms } = build({ replicationLagSeconds: 60 });
  expect(alarms).toHaveLength(4);
  for (const alarm of alarms) {
    expect(alarm).toMatchObject({
      Namespace: 'AWS/RDS',
      Dimensions: [{ Name: 'DBClusterIdentifier', Value: CLUSTER }],
      Period: 60,
      EvaluationPeriods: 5,
      DatapointsToAlarm: 3,
      TreatMissingData: 'missing',
      AlarmActions: [{ Ref: topic }],
      OKActions: [{ Ref: topic }],
    });
    expect(alarm.AlarmDescription).toMatch(new RegExp(`^${CLUSTER}: `));
  }
});

test('replication lag (milliseconds) only where a threshold is given', () => {
  expect(build().byMetric('AuroraGlobalDBReplicationLag')).toBeUndefined();
  expect(
    build({ replicationLagSeconds: 60 }).byMetric('AuroraGlobalDBReplicationLag'),
  ).toMatchObject({
    Statistic: 'Maximum',
    Threshold: 60_000,
    ComparisonOperator: 'GreaterThanThreshold',
  });
});

test('thresholds are configurable', () => {
  const { byMetric } = build({ cpuPercent: 70, freeableMemoryBytes: 1024, connections: 100 });
  expect(byMetric('CPUUtilization')?.Threshold).toBe(70);
  expect(byMetric('FreeableMemory')?.Threshold).toBe(1024);
  expect(byMetric('DatabaseConnections')?.Threshold).toBe(100);
});
