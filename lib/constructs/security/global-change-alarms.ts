import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
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
      const metricFilter = new logs.MetricFilter(this, `${name}Filter`, {
        logGroup: props.trailLogGroup,
        filterPattern: logs.FilterPattern.literal(filter.pattern),
        metricNamespace: namespace,
        metricName: name,
        metricValue: '1',
      });
      const alarm = new cloudwatch.Alarm(this, `${name}Alarm`, {
        alarmDescription: filter.description,
        metric: metricFilter.metric({ statistic: 'Sum', period: Duration.minutes(5) }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(new actions.SnsAction(props.topic));
      this.alarms[name] = alarm;
    }
  }
}
