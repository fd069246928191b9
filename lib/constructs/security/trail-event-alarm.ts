import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { RUNBOOKS, withRunbook } from '../core/runbooks';

export interface TrailEventAlarmOptions {
  /** The trail's log group. */
  readonly logGroup: logs.ILogGroup;
  /** CloudWatch Logs filter pattern of the records that count. */
  readonly pattern: string;
  /** What a breach means, for on-call. */
  readonly description: string;
  readonly namespace: string;
  /** Topic the alarm notifies. */
  readonly topic: sns.ITopic;
}

/**
 * A metric filter on the trail's log group (`<name>Filter`) and an alarm on it (`<name>Alarm`)
 * that fires on the first matching record in five minutes and notifies `topic`.
 */
export function trailEventAlarm(
  scope: Construct,
  name: string,
  options: TrailEventAlarmOptions,
): cloudwatch.Alarm {
  const metricFilter = new logs.MetricFilter(scope, `${name}Filter`, {
    logGroup: options.logGroup,
    filterPattern: logs.FilterPattern.literal(options.pattern),
    metricNamespace: options.namespace,
    metricName: name,
    metricValue: '1',
  });
  const alarm = new cloudwatch.Alarm(scope, `${name}Alarm`, {
    alarmDescription: withRunbook(options.description, RUNBOOKS.securityTrail),
    metric: metricFilter.metric({ statistic: 'Sum', period: Duration.minutes(5) }),
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  alarm.addAlarmAction(new actions.SnsAction(options.topic));
  return alarm;
}
