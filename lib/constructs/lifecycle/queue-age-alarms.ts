import { Duration, Token } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { AlarmTarget } from '../core/on-call-alarm';
import { onCallAlarm } from '../core/on-call-alarm';
import { RUNBOOKS } from '../core/runbooks';
import type { JobsQueue } from './jobs-queue';

export interface QueueAgeAlarmsProps {
  readonly target: AlarmTarget;
  /** Job queues by short name (used in the alarm names). */
  readonly queues: Readonly<Record<string, JobsQueue>>;
}

/**
 * The age past which a job's oldest message means no worker is consuming: every receive it may
 * take before the dead-letter queue (visibility timeout × max receives), plus 15 minutes.
 */
export function queueAgeThresholdSeconds(queue: JobsQueue): number {
  const visibility = (queue.queue.node.defaultChild as sqs.CfnQueue).visibilityTimeout;
  if (visibility === undefined || Token.isUnresolved(visibility)) {
    throw new Error(`${queue.node.path}: the queue needs a literal visibility timeout`);
  }
  return visibility * queue.maxReceiveCount + Duration.minutes(15).toSeconds();
}

/**
 * Per job queue: the oldest message older than every retry could take (see
 * `queueAgeThresholdSeconds`): the worker stopped consuming (throttled, failing before it
 * receives, its event source mapping disabled). Dead-letter depth alarms are LifecycleAlarms'.
 */
export class QueueAgeAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: QueueAgeAlarmsProps) {
    super(scope, id);
    for (const [name, jobs] of Object.entries(props.queues)) {
      const threshold = queueAgeThresholdSeconds(jobs);
      this.alarms.push(
        onCallAlarm(this, `${name}Age`, props.target, {
          name: `${name}-oldest-message-age`,
          summary: `The oldest message of the ${name} queue is older than ${Math.round(threshold / 60)} minutes (all its retries): no worker is consuming`,
          runbook: RUNBOOKS.queueAge,
          metric: jobs.queue.metricApproximateAgeOfOldestMessage({
            period: Duration.minutes(5),
            statistic: 'Maximum',
          }),
          threshold,
        }),
      );
    }
  }
}
