import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { RUNBOOKS, withRunbook } from '../core/runbooks';

/** The sweep's EMF metric (lambda/lifecycle-sweep/sweep-metrics.ts). */
export const SWEEP_METRIC = {
  namespace: 'Platform/Lifecycle',
  metricName: 'SweepCompleted',
  dimensionsMap: { Service: 'lifecycle-sweep' },
} as const;

/** The sweep's count of tenants in ARCHIVE_FAILED / PURGE_FAILED (sweep-metrics.ts). */
export const FAILED_TENANTS_METRIC = {
  ...SWEEP_METRIC,
  metricName: 'TenantsInFailedState',
} as const;

export interface LifecycleAlarmsProps {
  /** Where every alarm goes. */
  readonly topic: sns.ITopic;
  /** Functions whose errors alarm, by a short name used in the alarm's name. */
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
  /** Dead-letter queues whose depth alarms, by a short name. */
  readonly deadLetterQueues: Readonly<Record<string, sqs.IQueue>>;
  /** Prefix of every alarm name, e.g. `logi-prod-ap-southeast-2-lifecycle`. */
  readonly namePrefix: string;
}

/**
 * On-call alarms of the lifecycle: any function error (5 minutes), any message in a dead-letter
 * queue, a sweep that did not complete in a day (missing data breaches: no sweep, no metric), and
 * any tenant in a failed state (claimed `maxClaims` times without finishing), raised for as long
 * as one is there: every daily sweep counts them.
 */
export class LifecycleAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: LifecycleAlarmsProps) {
    super(scope, id);
    const action = new actions.SnsAction(props.topic);
    const add = (alarmId: string, alarmProps: cloudwatch.AlarmProps): void => {
      const alarm = new cloudwatch.Alarm(this, alarmId, alarmProps);
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      this.alarms.push(alarm);
    };

    for (const [name, fn] of Object.entries(props.functions)) {
      add(`${name}Errors`, {
        alarmName: `${props.namePrefix}-${name}-errors`,
        alarmDescription: withRunbook(
          `The ${name} function failed; see its log group for the error`,
          RUNBOOKS.functionErrors,
        ),
        metric: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }
    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      add(`${name}DeadLetters`, {
        alarmName: `${props.namePrefix}-${name}-dead-letters`,
        alarmDescription: withRunbook(
          `Messages in the ${name} dead-letter queue: a job failed every retry`,
          RUNBOOKS.deadLetters,
        ),
        metric: queue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          statistic: 'Maximum',
        }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }
    add('TenantsFailed', {
      alarmName: `${props.namePrefix}-tenants-failed`,
      alarmDescription: withRunbook(
        'A tenant is in ARCHIVE_FAILED or PURGE_FAILED: its job was claimed too many times ' +
          'without finishing; see the worker log for its error code',
        RUNBOOKS.lifecycleFailed,
      ),
      metric: new cloudwatch.Metric({
        ...FAILED_TENANTS_METRIC,
        statistic: 'Maximum',
        period: Duration.days(1),
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // No sweep, no metric: SweepMissed says so.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    add('SweepMissed', {
      alarmName: `${props.namePrefix}-sweep-missed`,
      alarmDescription: withRunbook(
        'The daily lifecycle sweep did not complete in the last day',
        RUNBOOKS.lifecycleSweep,
      ),
      metric: new cloudwatch.Metric({
        ...SWEEP_METRIC,
        statistic: 'Sum',
        period: Duration.days(1),
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
  }
}
