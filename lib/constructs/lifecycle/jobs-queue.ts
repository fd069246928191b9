import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from '../../compliance/acknowledge';

export interface JobsQueueProps {
  /** Key encrypting both queues (SSE-KMS). */
  readonly key: kms.IKey;
  /**
   * Timeout of the consuming function. The visibility timeout is six times it (Lambda's advice
   * for SQS event sources): a message is never handed to a second worker while the first still
   * runs, including the poller's own retries of a throttled invocation, so it is not dead-lettered
   * without having been processed.
   */
  readonly consumerTimeout: Duration;
  /**
   * Receives before a message moves to the dead-letter queue.
   * @default 3
   */
  readonly maxReceiveCount?: number;
  /**
   * How long a dead-lettered message is kept for inspection and redrive.
   * @default 14 days (the SQS maximum)
   */
  readonly deadLetterRetention?: Duration;
}

/**
 * A queue of lifecycle jobs for one worker, with its dead-letter queue: both SSE-KMS with the
 * given key and TLS-only; the visibility timeout six times the consumer's timeout; a message that fails `maxReceiveCount` times moves to the DLQ, which
 * keeps it for 14 days (its depth alarms on-call).
 */
/** Visibility timeout per second of the consumer's timeout. */
export const VISIBILITY_PER_CONSUMER_TIMEOUT = 6;

export class JobsQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly maxReceiveCount: number;

  constructor(scope: Construct, id: string, props: JobsQueueProps) {
    super(scope, id);
    this.maxReceiveCount = props.maxReceiveCount ?? 3;
    const common = {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      dataKeyReuse: Duration.hours(1),
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
    };
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      ...common,
      retentionPeriod: props.deadLetterRetention ?? Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      ...common,
      visibilityTimeout: Duration.seconds(
        props.consumerTimeout.toSeconds() * VISIBILITY_PER_CONSUMER_TIMEOUT,
      ),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: this.maxReceiveCount },
    });
    acknowledge(
      this.deadLetterQueue,
      'cdk-validator-cfnguard',
      'sqs_dlq_check',
      'This queue is the dead-letter queue of the jobs queue beside it; a dead-letter queue of ' +
        'a dead-letter queue would only move the same evidence again. Its depth alarms on-call.',
    );
  }
}
