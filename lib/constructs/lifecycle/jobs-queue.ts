import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from '../../compliance/acknowledge';

export interface JobsQueueProps {
  /** Key encrypting both queues (SSE-KMS). */
  readonly key: kms.IKey;
  /**
   * Visibility timeout: at least the consuming worker's timeout, so that a message is never
   * handed to a second worker while the first still runs.
   */
  readonly visibilityTimeout: Duration;
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
 * given key and TLS-only; a message that fails `maxReceiveCount` times moves to the DLQ, which
 * keeps it for 14 days (its depth alarms on-call).
 */
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
      visibilityTimeout: props.visibilityTimeout,
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
