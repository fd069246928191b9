import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface DatabaseAlarmsProps {
  /** Cluster identifier the metrics are reported for. */
  readonly clusterIdentifier: string;
  /** Topic every alarm notifies. */
  readonly topic: sns.ITopic;
  /** Alarm on global replication lag above this many seconds (secondary clusters). @default none */
  readonly replicationLagSeconds?: number;
  /** CPU utilisation threshold, percent. @default 80 */
  readonly cpuPercent?: number;
  /** Freeable memory threshold, bytes. @default 512 MiB */
  readonly freeableMemoryBytes?: number;
  /** Connections threshold. @default 800 */
  readonly connections?: number;
}

/** Alarms on a cluster's health, each notifying on-call on alarm and on recovery. */
export class DatabaseAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: DatabaseAlarmsProps) {
    super(scope, id);
    const metric = (metricName: string, statistic: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/RDS',
        metricName,
        dimensionsMap: { DBClusterIdentifier: props.clusterIdentifier },
        statistic,
        period: Duration.minutes(1),
      });
    const alarm = (
      alarmId: string,
      m: cloudwatch.Metric,
      threshold: number,
      operator: cloudwatch.ComparisonOperator,
      description: string,
    ) => {
      const a = m.createAlarm(this, alarmId, {
        threshold,
        comparisonOperator: operator,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        treatMissingData: cloudwatch.TreatMissingData.MISSING,
        alarmDescription: `${props.clusterIdentifier}: ${description}`,
      });
      a.addAlarmAction(new actions.SnsAction(props.topic));
      a.addOkAction(new actions.SnsAction(props.topic));
      this.alarms.push(a);
    };
    const above = cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD;
    alarm('Cpu', metric('CPUUtilization', 'Average'), props.cpuPercent ?? 80, above, 'CPU high');
    alarm(
      'FreeableMemory',
      metric('FreeableMemory', 'Minimum'),
      props.freeableMemoryBytes ?? 512 * 1024 * 1024,
      cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      'freeable memory low',
    );
    alarm(
      'Connections',
      metric('DatabaseConnections', 'Maximum'),
      props.connections ?? 800,
      above,
      'connections high',
    );
    if (props.replicationLagSeconds !== undefined) {
      // Reported in milliseconds by the secondary cluster of a global database.
      alarm(
        'GlobalReplicationLag',
        metric('AuroraGlobalDBReplicationLag', 'Maximum'),
        props.replicationLagSeconds * 1000,
        above,
        `global replication lag above ${props.replicationLagSeconds} s`,
      );
    }
  }
}
