import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { AlarmTarget } from '../core/on-call-alarm';
import { onCallAlarm } from '../core/on-call-alarm';
import type { Runbook } from '../core/runbooks';
import { RUNBOOKS } from '../core/runbooks';
import { instanceCapacity } from './instance-class';

export interface DatabaseAlarmsProps {
  /** Where the alarms go and their name prefix. */
  readonly target: AlarmTarget;
  /** Cluster identifier the metrics are reported for. */
  readonly clusterIdentifier: string;
  /** The cluster's instance class without `db.` (e.g. `r6g.large`): memory and connection limits. */
  readonly instanceClass: string;
  /** Config path of the instance class, for the error of an unknown class. @default instanceClass */
  readonly instanceClassField?: string;
  /** Alarm on global replication lag above this many seconds (secondary clusters). @default none */
  readonly replicationLagSeconds?: number;
  /** CPU utilisation threshold, percent. @default 80 */
  readonly cpuPercent?: number;
  /** Freeable memory below this share of the instance's memory alarms, percent. @default 10 */
  readonly freeableMemoryPercent?: number;
  /** Connections above this share of the class' default max_connections alarm, percent. @default 80 */
  readonly connectionsPercent?: number;
}

/**
 * Alarms on a cluster's health, each notifying on-call on alarm and on recovery, with thresholds
 * derived from the instance class: freeable memory below 10 % of its memory, connections above 80 %
 * of its default `max_connections` (t4g.medium: 360 of 450; r6g.large: 1,440 of 1,802). The
 * metrics have the cluster dimension, so Minimum/Maximum are those of its worst instance.
 */
export class DatabaseAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  /** The thresholds used, for the dashboard and the runbook. */
  readonly thresholds: { readonly freeableMemoryBytes: number; readonly connections: number };

  constructor(scope: Construct, id: string, props: DatabaseAlarmsProps) {
    super(scope, id);
    const capacity = instanceCapacity(
      props.instanceClass,
      props.instanceClassField ?? 'instanceClass',
    );
    const connections = Math.floor(
      (capacity.maxConnections * (props.connectionsPercent ?? 80)) / 100,
    );
    const freeableMemoryBytes = Math.floor(
      (capacity.memoryBytes * (props.freeableMemoryPercent ?? 10)) / 100,
    );
    this.thresholds = { freeableMemoryBytes, connections };
    const cluster = props.clusterIdentifier;
    const metric = (metricName: string, statistic: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/RDS',
        metricName,
        dimensionsMap: { DBClusterIdentifier: cluster },
        statistic,
        period: Duration.minutes(1),
      });
    const alarm = (
      alarmId: string,
      name: string,
      m: cloudwatch.Metric,
      threshold: number,
      operator: cloudwatch.ComparisonOperator,
      summary: string,
      runbook: Runbook,
    ) => {
      this.alarms.push(
        onCallAlarm(this, alarmId, props.target, {
          name,
          summary: `${cluster}: ${summary} in 3 of 5 minutes`,
          runbook,
          metric: m,
          threshold,
          comparisonOperator: operator,
          evaluationPeriods: 5,
          datapointsToAlarm: 3,
          treatMissingData: cloudwatch.TreatMissingData.MISSING,
        }),
      );
    };
    const above = cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD;
    const cpu = props.cpuPercent ?? 80;
    alarm(
      'Cpu',
      'cpu',
      metric('CPUUtilization', 'Average'),
      cpu,
      above,
      `CPU above ${cpu} %`,
      RUNBOOKS.databaseCpu,
    );
    alarm(
      'FreeableMemory',
      'freeable-memory',
      metric('FreeableMemory', 'Minimum'),
      freeableMemoryBytes,
      cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      `freeable memory below ${Math.round(freeableMemoryBytes / 1024 ** 2)} MiB (${props.freeableMemoryPercent ?? 10} % of ${props.instanceClass})`,
      RUNBOOKS.databaseMemory,
    );
    alarm(
      'Connections',
      'connections',
      metric('DatabaseConnections', 'Maximum'),
      connections,
      above,
      `connections above ${connections} (${props.connectionsPercent ?? 80} % of max_connections ${capacity.maxConnections} of ${props.instanceClass})`,
      RUNBOOKS.databaseConnections,
    );
    if (props.replicationLagSeconds !== undefined) {
      // Reported in milliseconds by the secondary cluster of a global database.
      alarm(
        'GlobalReplicationLag',
        'global-replication-lag',
        metric('AuroraGlobalDBReplicationLag', 'Maximum'),
        props.replicationLagSeconds * 1000,
        above,
        `global replication lag above ${props.replicationLagSeconds} s`,
        RUNBOOKS.globalReplicationLag,
      );
    }
  }
}
