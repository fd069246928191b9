import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { Runbook } from './runbooks';
import { withRunbook } from './runbooks';

/** Where a group of alarms goes and how it is named. */
export interface AlarmTarget {
  /** The on-call topic (operational or security) notified on alarm and on recovery. */
  readonly topic: sns.ITopic;
  /** Prefix of every alarm name, e.g. `logi-prod-ap-southeast-2-ingress`. */
  readonly namePrefix: string;
}

export interface OnCallAlarmProps {
  /** Name after the target's prefix, e.g. `alb-5xx` (alarm `<prefix>-alb-5xx`). */
  readonly name: string;
  /** What a breach means, in one sentence; the runbook link is appended. */
  readonly summary: string;
  readonly runbook: Runbook;
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  /** @default greater than the threshold */
  readonly comparisonOperator?: cloudwatch.ComparisonOperator;
  /** @default 1 */
  readonly evaluationPeriods?: number;
  /** @default evaluationPeriods */
  readonly datapointsToAlarm?: number;
  /** @default not breaching (no requests, no errors) */
  readonly treatMissingData?: cloudwatch.TreatMissingData;
}

/**
 * The one way platform alarms are made: a deterministic name (the dashboard and on-call find it by
 * name), a description ending with its runbook link, and the on-call topic as alarm and OK action.
 */
export function onCallAlarm(
  scope: Construct,
  id: string,
  target: AlarmTarget,
  props: OnCallAlarmProps,
): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, {
    alarmName: `${target.namePrefix}-${props.name}`,
    alarmDescription: withRunbook(props.summary, props.runbook),
    metric: props.metric,
    threshold: props.threshold,
    comparisonOperator:
      props.comparisonOperator ?? cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: props.evaluationPeriods ?? 1,
    datapointsToAlarm: props.datapointsToAlarm,
    treatMissingData: props.treatMissingData ?? cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  const action = new actions.SnsAction(target.topic);
  alarm.addAlarmAction(action);
  alarm.addOkAction(action);
  return alarm;
}

/** Five minutes: the period of most platform alarms. */
export const FIVE_MINUTES = Duration.minutes(5);
