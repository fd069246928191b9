import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { trailEventAlarm } from './trail-event-alarm';

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
      const alarm = trailEventAlarm(this, name, {
        logGroup: props.trailLogGroup,
        pattern: filter.pattern,
        description: filter.description,
        namespace,
        topic: props.topic,
      });
      return alarm;
    });
  }
}
