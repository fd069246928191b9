import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { DatabaseAlarmsProps } from '../../../lib/constructs/data/database-alarms';
import { DatabaseAlarms } from '../../../lib/constructs/data/database-alarms';
import { instanceCapacity } from '../../../lib/constructs/data/instance-class';
import { bareStack } from '../../support/bare-stack';

const CLUSTER = 'logi-prod-ap-southeast-4-aurora';

function build(props: Partial<DatabaseAlarmsProps> = {}) {
  const stack = bareStack();
  new DatabaseAlarms(stack, 'Alarms', {
    target: { topic: new sns.Topic(stack, 'OnCall'), namePrefix: CLUSTER },
    clusterIdentifier: CLUSTER,
    instanceClass: 'r6g.large',
    ...props,
  });
  const template = Template.fromStack(stack);
  const [topic] = Object.keys(template.findResources('AWS::SNS::Topic'));
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
    (a) => a.Properties,
  );
  return { topic, alarms, byMetric: (name: string) => alarms.find((a) => a.MetricName === name) };
}

test('max_connections follows the Aurora PostgreSQL default formula of the class memory', () => {
  // LEAST(DBInstanceClassMemory / 9531392, 5000), memory nominal
  expect(instanceCapacity('t4g.medium', 'f').maxConnections).toBe(450);
  expect(instanceCapacity('r6g.large', 'f').maxConnections).toBe(1802);
  expect(instanceCapacity('r6g.4xlarge', 'f').maxConnections).toBe(5000);
  expect(() => instanceCapacity('x9.huge', 'environments.dev.database.instanceClass')).toThrow(
    /environments\.dev\.database\.instanceClass: instance class "x9\.huge" has no known memory size.*Fix: use one of/,
  );
});

test('thresholds derive from the instance class: 80 % of max_connections, 10 % of memory', () => {
  const large = build().byMetric;
  expect(large('CPUUtilization')).toMatchObject({
    Statistic: 'Average',
    Threshold: 80,
    ComparisonOperator: 'GreaterThanThreshold',
  });
  expect(large('FreeableMemory')).toMatchObject({
    Statistic: 'Minimum',
    Threshold: Math.floor(16 * 1024 ** 3 * 0.1),
    ComparisonOperator: 'LessThanThreshold',
  });
  expect(large('DatabaseConnections')).toMatchObject({
    Statistic: 'Maximum',
    Threshold: 1441,
    ComparisonOperator: 'GreaterThanThreshold',
  });
  // dev's class: the fixed 800 could never fire on a 450-connection instance; 360 can.
  const small = build({ instanceClass: 't4g.medium' }).byMetric;
  expect(small('DatabaseConnections')?.Threshold).toBe(360);
  expect(small('FreeableMemory')?.Threshold).toBe(Math.floor(4 * 1024 ** 3 * 0.1));
});

test('each alarm: named, the cluster dimension, 3 of 5 minutes, on-call on alarm and on recovery, a runbook', () => {
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
    expect(alarm.AlarmName).toMatch(new RegExp(`^${CLUSTER}-`));
    expect(alarm.AlarmDescription).toMatch(new RegExp(`^${CLUSTER}: `));
    expect(alarm.AlarmDescription).toMatch(
      /Runbook: docs\/runbooks\/alarms\.md#database-|#global-replication-lag$/,
    );
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

test('shares are configurable', () => {
  const { byMetric } = build({ cpuPercent: 70, freeableMemoryPercent: 20, connectionsPercent: 50 });
  expect(byMetric('CPUUtilization')?.Threshold).toBe(70);
  expect(byMetric('FreeableMemory')?.Threshold).toBe(Math.floor(16 * 1024 ** 3 * 0.2));
  expect(byMetric('DatabaseConnections')?.Threshold).toBe(901);
});
