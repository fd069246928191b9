import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { trailEventAlarm } from './trail-event-alarm';
import { globalChangeFilters } from './change-alert-patterns';

export interface GlobalChangeAlarmsProps {
  /** Log group of the account's multi-region trail (it holds the records of every region). */
  readonly trailLogGroup: logs.ILogGroup;
  /** Topic the alarms notify. */
  readonly topic: sns.ITopic;
  /** Name of the break-glass role: any AssumeRole of it raises an alarm. */
  readonly breakGlassRoleName: string;
  /**
   * Metric namespace of the filters.
   * @default 'Platform/Security'
   */
  readonly namespace?: string;
}

/**
 * Alarms on the trail's log group, in the primary region, for the changes EventBridge delivers to
 * us-east-1 only (where the platform does not deploy): IAM policy changes, IAM role, user and
 * access-key changes, and AssumeRole of the break-glass role through any endpoint and region.
 * An alarm names the kind of change; the trail's log group holds the calls themselves.
 */
export class GlobalChangeAlarms extends Construct {
  readonly alarms: Record<string, cloudwatch.Alarm>;

  constructor(scope: Construct, id: string, props: GlobalChangeAlarmsProps) {
    super(scope, id);
    const namespace = props.namespace ?? 'Platform/Security';
    this.alarms = {};
    for (const [name, filter] of Object.entries(globalChangeFilters(props.breakGlassRoleName))) {
      const alarm = trailEventAlarm(this, name, {
        logGroup: props.trailLogGroup,
        pattern: filter.pattern,
        description: filter.description,
        namespace,
        topic: props.topic,
      });
      this.alarms[name] = alarm;
    }
  }
}
