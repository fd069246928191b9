import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from '../../compliance/acknowledge';
import { contract } from '../../../lambda/lifecycle-sweep/contract';
import { PlatformFunction } from '../core/platform-function';
import type { LifecycleFunctionsCommon } from './registry-access';
import { grantRegistry, KEY_ENCRYPT_DECRYPT } from './registry-access';
import { grantKeyThrough } from '../core/key-use';

export interface SweepScheduleProps extends LifecycleFunctionsCommon {
  /** Queue of archive jobs. */
  readonly archiveQueue: sqs.IQueue;
  /** Queue of purge jobs. */
  readonly purgeQueue: sqs.IQueue;
  /** Key of the schedule's dead-letter queue. */
  readonly queueKey: kms.IKey;
  /**
   * Minutes a claimed job is leased before the next sweep re-sends it; must exceed the worker
   * timeout times the queue's receive count.
   */
  readonly leaseMinutes: number;
  /**
   * The region's database: the sweep claims only while this region's cluster is the writer of
   * the global database (`rds:DescribeGlobalClusters`, IsWriter), or always when there is no
   * global database (`globalClusterIdentifier` unset: a single-region environment).
   */
  readonly database: {
    readonly clusterIdentifier: string;
    readonly globalClusterIdentifier?: string;
  };
  /**
   * When the sweep runs (UTC).
   * @default every day at 02:00
   */
  readonly expression?: scheduler.ScheduleExpression;
}

/**
 * The daily sweep: a function that queries the registry's `state-due` index (never a scan),
 * claims the due tenants and sends each one's job, invoked by an EventBridge Scheduler schedule
 * with retries and its own dead-letter queue, through a role that may invoke this function only.
 *
 * Every region with a cluster runs one, and each claims only while its own region's cluster is
 * the writer of the global database. Why not one sweep on the global writer endpoint: the
 * regions' VPCs are not connected (no peering, by design), so a function in one region cannot
 * reach the other region's writer; and the registry is a global table (last writer wins), so two
 * sweeps claiming at once could both win. The gate asks the global database itself
 * (`rds:DescribeGlobalClusters` on this one global cluster, through the region's RDS API), which
 * needs no database login; a non-writer region's sweep reads and claims nothing, logs so and
 * emits `WriterRegion` = 0.
 */
export class SweepSchedule extends Construct {
  readonly sweep: PlatformFunction;
  readonly schedule: scheduler.Schedule;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: SweepScheduleProps) {
    super(scope, id);
    const { registry } = props;
    this.sweep = new PlatformFunction(this, 'Sweep', {
      contract,
      description: 'Daily sweep: claims the tenants due for archive or purge and queues their jobs',
      logsKey: props.logsKey,
      logRetention: props.logRetention,
      vpc: props.vpc,
      securityGroup: props.securityGroup,
      timeout: Duration.minutes(5),
      reservedConcurrency: 1,
      invocation: 'schedule',
      environment: {
        TABLE_NAME: registry.table.tableName,
        AUDIT_TABLE_NAME: registry.auditTable.tableName,
        ARCHIVE_JOBS_QUEUE_URL: props.archiveQueue.queueUrl,
        PURGE_JOBS_QUEUE_URL: props.purgeQueue.queueUrl,
        LEASE_MINUTES: String(props.leaseMinutes),
        DB_CLUSTER_ID: props.database.clusterIdentifier,
        ...(props.database.globalClusterIdentifier
          ? { GLOBAL_CLUSTER_ID: props.database.globalClusterIdentifier }
          : {}),
      },
    });
    const role = this.sweep.function.role!;
    if (props.database.globalClusterIdentifier) {
      const stack = Stack.of(this);
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'WriterCheck',
          actions: ['rds:DescribeGlobalClusters'],
          // Global clusters have no region in their ARN.
          resources: [
            `arn:${stack.partition}:rds::${stack.account}:global-cluster:${props.database.globalClusterIdentifier}`,
          ],
        }),
      );
    }
    grantRegistry(role, registry, { queryDue: true, transition: true });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'SendJobs',
        actions: ['sqs:SendMessage'],
        resources: [props.archiveQueue.queueArn, props.purgeQueue.queueArn],
      }),
    );
    grantKeyThrough(props.queueKey, role, 'sqs', KEY_ENCRYPT_DECRYPT);

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.queueKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const schedulerRole = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.deadLetterQueue.env.account } },
      }),
      description: 'Invokes the lifecycle sweep function, and only it',
    });
    this.schedule = new scheduler.Schedule(this, 'Daily', {
      description: 'Daily tenant lifecycle sweep',
      schedule: props.expression ?? scheduler.ScheduleExpression.cron({ hour: '2', minute: '0' }),
      target: new targets.LambdaInvoke(this.sweep.function, {
        role: schedulerRole,
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: 3,
        maxEventAge: Duration.hours(6),
      }),
    });
    const schedulerPolicy = schedulerRole.node.findChild('DefaultPolicy');
    acknowledge(
      schedulerPolicy,
      'AwsSolutions',
      `AwsSolutions-IAM5[Resource::<${logicalId(this.sweep.function)}.Arn>:*]`,
      'Written by the scheduler target grant: invoke this one sweep function and its versions ' +
        '(ARN suffix :*), nothing else; the role can only be assumed by EventBridge Scheduler ' +
        'of this account.',
    );
    acknowledge(
      this.deadLetterQueue,
      'AwsSolutions',
      'AwsSolutions-SQS3',
      "This queue is the schedule target's dead-letter queue (a DeadLetterConfig of the " +
        'schedule, which the rule cannot see); its depth alarms on-call and it keeps messages 14 days.',
    );
    acknowledge(
      this.deadLetterQueue,
      'cdk-validator-cfnguard',
      'sqs_dlq_check',
      "This queue is the schedule target's dead-letter queue; a dead-letter queue of a " +
        'dead-letter queue would only move the same evidence again. Its depth alarms on-call.',
    );
    acknowledge(
      schedulerPolicy,
      'NIST.800.53.R5',
      'NIST.800.53.R5-IAMNoInlinePolicy',
      "Inline policy of the scheduler's own role: invoke the sweep function and send to the " +
        "schedule's dead-letter queue; only EventBridge Scheduler of this account can assume it.",
    );
  }
}

function logicalId(fn: lambda.IFunction): string {
  const child = fn.node.defaultChild as { logicalId?: string } | undefined;
  return child?.logicalId ? fn.stack.resolve(child.logicalId) : fn.node.id;
}
