import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { AlarmTarget } from './on-call-alarm';
import { FIVE_MINUTES, onCallAlarm } from './on-call-alarm';
import { REPLICATION_RULE_ID } from './cross-region-replication';
import { RUNBOOKS } from './runbooks';

export interface ReplicationAlarmsProps {
  readonly target: AlarmTarget;
  /** Short name of what replicates, used in the alarm names (`files`, `archive`). */
  readonly name: string;
  readonly sourceBucketName: string;
  readonly destinationBucketName: string;
  /** Replication Time Control is on: its 15-minute objective is the latency threshold. */
  readonly replicationTimeControl: boolean;
}

/** The latency that alarms: RTC's 15-minute objective, or an hour without RTC (no objective). */
export function replicationLatencyThresholdSeconds(replicationTimeControl: boolean): number {
  return replicationTimeControl ? 15 * 60 : 60 * 60;
}

/**
 * Alarms on a bucket's cross-region replication, from the S3 replication metrics the rule enables
 * (`metrics` on the rule of CrossRegionReplication): any failed replication, and replication
 * latency above the threshold for 15 minutes (the secondary region's copy is falling behind).
 */
export class ReplicationAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: ReplicationAlarmsProps) {
    super(scope, id);
    const metric = (metricName: string, statistic: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/S3',
        metricName,
        dimensionsMap: {
          SourceBucket: props.sourceBucketName,
          DestinationBucket: props.destinationBucketName,
          RuleId: REPLICATION_RULE_ID,
        },
        statistic,
        period: FIVE_MINUTES,
      });
    const latency = replicationLatencyThresholdSeconds(props.replicationTimeControl);
    this.alarms = [
      onCallAlarm(this, 'Failed', props.target, {
        name: `${props.name}-replication-failed`,
        summary: `Objects of ${props.sourceBucketName} failed to replicate to ${props.destinationBucketName}`,
        runbook: RUNBOOKS.fileReplication,
        metric: metric('OperationsFailedReplication', 'Sum'),
        threshold: 0,
      }),
      onCallAlarm(this, 'Latency', props.target, {
        name: `${props.name}-replication-latency`,
        summary: `Replication of ${props.sourceBucketName} to ${props.destinationBucketName} lagged more than ${latency / 60} minutes for 15 minutes`,
        runbook: RUNBOOKS.fileReplication,
        metric: metric('ReplicationLatency', 'Maximum'),
        threshold: latency,
        evaluationPeriods: 3,
      }),
    ];
  }
}
