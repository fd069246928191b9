import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface SignInAlarmsProps {
  /** Log group of the account's multi-region trail (it holds sign-ins of every region). */
  readonly trailLogGroup: logs.ILogGroup;
  /** Topic the alarms notify. */
  readonly topic: sns.ITopic;
  /**
   * Metric namespace of the filters.
   * @default 'Platform/Security'
   */
  readonly namespace?: string;
}

/** Sign-in patterns on CloudTrail records in CloudWatch Logs (CIS AWS Foundations 4.2 and 4.3). */
export const SIGN_IN_FILTERS = {
  RootSignIn: {
    pattern: '{ ($.eventName = "ConsoleLogin") && ($.userIdentity.type = "Root") }',
    description: 'Console sign-in as the root user, in any region',
  },
  SignInWithoutMfa: {
    pattern:
      '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed = "No") && ' +
      '(($.userIdentity.type = "IAMUser") || ($.userIdentity.type = "Root")) }',
    description: 'Console sign-in of an IAM user or root without MFA, in any region',
  },
} as const;

/**
 * Alarms on the trail's log group for root sign-ins and console sign-ins without MFA.
 *
 * Why, next to the EventBridge rules of `SecurityAlerts`: AWS delivers sign-in events of the
 * global console endpoint, and every root sign-in, to us-east-1 only, where this platform may not
 * deploy (allowed regions). The multi-region trail records them all into this log group in the
 * primary region, so these filters see every region's sign-ins; the EventBridge rules add
 * per-event detail for sign-ins through the regional endpoints of the platform's own regions.
 */
export class SignInAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: SignInAlarmsProps) {
    super(scope, id);
    const namespace = props.namespace ?? 'Platform/Security';
    this.alarms = Object.entries(SIGN_IN_FILTERS).map(([name, filter]) => {
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
      return alarm;
    });
  }
}
