import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as eventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge } from '../../compliance/acknowledge';
import { RUNTIME_CA_BUNDLE } from '../../../lambda/shared/database/settings';
import { contract as archiveContract } from '../../../lambda/tenant-archive/contract';
import { contract as purgeContract } from '../../../lambda/tenant-purge/contract';
import { PlatformFunction } from '../core/platform-function';
import { JobsQueue } from './jobs-queue';
import type { LifecycleFunctionsCommon } from './registry-access';
import { grantRegistry, KEY_ENCRYPT_DECRYPT } from './registry-access';
import { grantKeyThrough } from '../core/key-use';

/** Timeout of both workers; the queues' visibility timeout is six times it. */
export const WORKER_TIMEOUT = Duration.minutes(15);

/**
 * Concurrent runs of each worker: its reserved concurrency and its event source's
 * `maximumConcurrency`, equal, so that the poller never invokes more workers than may run
 * (an invocation refused for lack of concurrency would count a receive and could dead-letter
 * a job that never ran).
 */
export const WORKER_CONCURRENCY = 2;

export interface ArchiveWorkersProps extends LifecycleFunctionsCommon {
  /** `retention.archiveRetentionDays`: the archive's Object Lock lasts this long. */
  readonly archiveRetentionDays: number;
  /** Key of the job queues. */
  readonly queueKey: kms.IKey;
  /** The archive bucket (with its key). */
  readonly archiveBucket: s3.IBucket;
  /** This region's file bucket, by name, and its key. */
  readonly filesBucket: { readonly bucketName: string; readonly key: kms.IKey };
  /** The file bucket's replica in the other region, by name. */
  readonly filesReplica: { readonly bucketName: string; readonly region: string };
  /**
   * This region's database cluster (the primary's, or the secondary's of the global database):
   * the archive worker connects to its cluster endpoint and signs in as `dbUser` with IAM. It
   * archives only while that cluster is the writer (`pg_is_in_recovery()` on its connection).
   */
  readonly database: WorkerDatabase;
  /** Database the tenant tables live in. */
  readonly dbName: string;
  /** Database role of the archive worker (created by the tenant-partitioning bootstrap). */
  readonly dbUser: string;
  /** The tenant user pool: the purge deletes the tenant's users and group from it. */
  readonly userPool: cognito.IUserPool;
  /**
   * Security group of the purge worker, which calls Cognito and not the database (the archive
   * worker uses `securityGroup`). @default `securityGroup`
   */
  readonly purgeSecurityGroup?: ec2.ISecurityGroup;
}

/** Where the archive worker connects: this region's cluster endpoint and resource id. */
export interface WorkerDatabase {
  readonly host: string;
  readonly port: string;
  /** The cluster's resource id (`cluster-...`): the resource of its `rds-db:connect` ARN. */
  readonly clusterResourceId: string;
}

/**
 * The per-tenant archive and purge workers, each fed by its own jobs queue (batch size 1,
 * partial batch failures) with a dead-letter queue. One queue per job type, because each worker
 * refuses the other type's messages: on a shared queue a message could reach the wrong worker
 * and be dead-lettered, and event-source filters would delete it instead.
 *
 * Every region with a cluster has them, each on its own region's cluster endpoint: the archive
 * worker archives only while that cluster is the writer (`pg_is_in_recovery()` on its own
 * connection) and otherwise gives the job back to the writer region (see SweepSchedule for why
 * the lifecycle follows the writer region by region rather than through a global endpoint).
 */
export class ArchiveWorkers extends Construct {
  readonly archive: PlatformFunction;
  readonly purge: PlatformFunction;
  readonly archiveJobs: JobsQueue;
  readonly purgeJobs: JobsQueue;

  constructor(scope: Construct, id: string, props: ArchiveWorkersProps) {
    super(scope, id);
    const { registry } = props;
    const queueProps = { key: props.queueKey, consumerTimeout: WORKER_TIMEOUT };
    this.archiveJobs = new JobsQueue(this, 'ArchiveJobs', queueProps);
    this.purgeJobs = new JobsQueue(this, 'PurgeJobs', queueProps);
    const common = {
      logsKey: props.logsKey,
      logRetention: props.logRetention,
      vpc: props.vpc,
      securityGroup: props.securityGroup,
      timeout: WORKER_TIMEOUT,
      invocation: 'sqs' as const,
      reservedConcurrency: WORKER_CONCURRENCY,
    };
    const tables = {
      TABLE_NAME: registry.table.tableName,
      AUDIT_TABLE_NAME: registry.auditTable.tableName,
      ARCHIVE_BUCKET: props.archiveBucket.bucketName,
    };

    this.archive = new PlatformFunction(this, 'Archive', {
      ...common,
      contract: archiveContract,
      // @aws-sdk/rds-signer (IAM auth tokens) is not part of the runtime's SDK: bundle it.
      bundleAwsSdk: true,
      description:
        'Archives one tenant: export, copy, manifest, lock, verify, then delete live data',
      memorySize: 1024,
      environment: {
        ...tables,
        ARCHIVE_RETENTION_DAYS: String(props.archiveRetentionDays),
        DB_HOST: props.database.host,
        DB_PORT: props.database.port,
        DB_NAME: props.dbName,
        DB_USER: props.dbUser,
        // The worker verifies the cluster's certificate; the runtime trusts the RDS CAs only so.
        NODE_EXTRA_CA_CERTS: RUNTIME_CA_BUNDLE,
        FILES_BUCKET: props.filesBucket.bucketName,
        FILES_REPLICA_BUCKET: props.filesReplica.bucketName,
        FILES_REPLICA_REGION: props.filesReplica.region,
        ARCHIVE_JOBS_QUEUE_URL: this.archiveJobs.queue.queueUrl,
      },
    });
    this.purge = new PlatformFunction(this, 'Purge', {
      ...common,
      securityGroup: props.purgeSecurityGroup ?? props.securityGroup,
      contract: purgeContract,
      // Its engine module imports @aws-sdk/rds-signer, which the runtime's SDK lacks: bundle it.
      bundleAwsSdk: true,
      description:
        "Purges one tenant's archive and Cognito users after its retention, keeping a tombstone",
      // Each run holds the archive's whole version listing: about 130 MB of heap per 200,000
      // versions (docs/archive-performance.md), so 1024 MB for about 1.4 million (256 MB: 350k).
      memorySize: 1024,
      environment: {
        ...tables,
        USER_POOL_ID: props.userPool.userPoolId,
        PURGE_JOBS_QUEUE_URL: this.purgeJobs.queue.queueUrl,
      },
    });

    for (const [worker, jobs] of [
      [this.archive, this.archiveJobs],
      [this.purge, this.purgeJobs],
    ] as const) {
      grantRegistry(worker.function.role!, registry, { read: true, transition: true });
      worker.function.addEventSource(
        new eventSources.SqsEventSource(jobs.queue, {
          batchSize: 1,
          reportBatchItemFailures: true,
          maxConcurrency: WORKER_CONCURRENCY,
        }),
      );
    }
    // What DatabaseCluster.grantConnect writes, for a primary or a secondary (L1) cluster alike.
    iam.Grant.addToPrincipal({
      grantee: this.archive.function,
      actions: ['rds-db:connect'],
      resourceArns: [
        Stack.of(this).formatArn({
          service: 'rds-db',
          resource: 'dbuser',
          resourceName: `${props.database.clusterResourceId}/${props.dbUser}`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
    });
    // A checkpointed archive or purge job is sent again to its own queue (a fresh receive count).
    for (const [worker, jobs] of [
      [this.archive, this.archiveJobs],
      [this.purge, this.purgeJobs],
    ] as const) {
      worker.function.role!.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'ContinueJob',
          actions: ['sqs:SendMessage'],
          resources: [jobs.queue.queueArn],
        }),
      );
      grantKeyThrough(props.queueKey, worker.function.role!, 'sqs', KEY_ENCRYPT_DECRYPT);
    }
    this.grantArchiveWorker(props);
    this.grantPurgeWorker(props);
  }

  /** Archive bucket: build, lock, verify and clean up a half-written archive of the tenant. */
  private grantArchiveWorker(props: ArchiveWorkersProps): void {
    const role = this.archive.function.role!;
    const archive = props.archiveBucket;
    const partition = Stack.of(this).partition;
    const filesArn = `arn:${partition}:s3:::${props.filesBucket.bucketName}`;
    const statements = [
      new iam.PolicyStatement({
        sid: 'ArchiveList',
        actions: ['s3:ListBucket', 's3:ListBucketVersions', 's3:ListBucketMultipartUploads'],
        resources: [archive.bucketArn],
      }),
      new iam.PolicyStatement({
        sid: 'ArchiveObjects',
        actions: [
          's3:PutObject',
          's3:AbortMultipartUpload',
          's3:GetObject',
          's3:GetObjectVersion',
          's3:GetObjectRetention',
          's3:PutObjectRetention',
          's3:DeleteObjectVersion',
        ],
        resources: [archive.arnForObjects('archive/*')],
      }),
      new iam.PolicyStatement({
        sid: 'FilesList',
        actions: ['s3:ListBucket', 's3:ListBucketVersions'],
        resources: [filesArn],
        conditions: { StringLike: { 's3:prefix': ['tenants/*'] } },
      }),
      new iam.PolicyStatement({
        sid: 'FilesCopyAndDelete',
        actions: [
          's3:GetObject',
          's3:GetObjectVersion',
          's3:GetObjectTagging',
          's3:GetObjectVersionTagging',
          's3:DeleteObject',
          's3:DeleteObjectVersion',
        ],
        resources: [`${filesArn}/tenants/*`],
      }),
    ];
    const replicaArn = `arn:${partition}:s3:::${props.filesReplica.bucketName}`;
    statements.push(
      new iam.PolicyStatement({
        sid: 'ReplicaList',
        actions: ['s3:ListBucket', 's3:ListBucketVersions'],
        resources: [replicaArn],
        conditions: { StringLike: { 's3:prefix': ['tenants/*'] } },
      }),
      new iam.PolicyStatement({
        sid: 'ReplicaDelete',
        actions: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
        resources: [`${replicaArn}/tenants/*`],
      }),
    );
    for (const statement of statements) role.addToPrincipalPolicy(statement);
    if (archive.encryptionKey)
      grantKeyThrough(archive.encryptionKey, role, 's3', KEY_ENCRYPT_DECRYPT);
    grantKeyThrough(props.filesBucket.key, role, 's3', ['kms:Decrypt']);
    this.acknowledgePrefixes(this.archive, [
      `Resource::<${this.logicalIdOf(archive)}.Arn>/archive/*`,
      `Resource::arn:aws:s3:::${props.filesBucket.bucketName}/tenants/*`,
      `Resource::arn:aws:s3:::${props.filesReplica.bucketName}/tenants/*`,
    ]);
  }

  /**
   * Archive bucket: delete every version of the tenant's archive once its lock has expired; the
   * tenant user pool: delete the tenant's users and group.
   */
  private grantPurgeWorker(props: ArchiveWorkersProps): void {
    const role = this.purge.function.role!;
    const archive = props.archiveBucket;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ArchiveList',
        actions: ['s3:ListBucket', 's3:ListBucketVersions'],
        resources: [archive.bucketArn],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ArchivePurge',
        actions: [
          's3:GetObject',
          's3:GetObjectVersion',
          's3:GetObjectRetention',
          's3:DeleteObjectVersion',
        ],
        resources: [archive.arnForObjects('archive/*')],
      }),
    );
    if (archive.encryptionKey) grantKeyThrough(archive.encryptionKey, role, 's3', ['kms:Decrypt']);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'TenantUsersDelete',
        actions: [
          'cognito-idp:ListUsersInGroup',
          'cognito-idp:AdminDeleteUser',
          'cognito-idp:DeleteGroup',
        ],
        resources: [props.userPool.userPoolArn],
      }),
    );
    this.acknowledgePrefixes(this.purge, [
      `Resource::<${this.logicalIdOf(archive)}.Arn>/archive/*`,
    ]);
  }

  private logicalIdOf(bucket: s3.IBucket): string {
    const child = bucket.node.defaultChild;
    return child ? Stack.of(child).resolve((child as s3.CfnBucket).logicalId) : bucket.node.id;
  }

  private acknowledgePrefixes(fn: PlatformFunction, findings: readonly string[]): void {
    const policy = fn.function.role!.node.findChild('DefaultPolicy');
    // A single-region environment's replica is the file bucket itself: one finding, acknowledged once.
    for (const finding of new Set(findings)) {
      acknowledge(
        policy,
        'AwsSolutions',
        `AwsSolutions-IAM5[${finding}]`,
        'Objects are addressed by tenant and archive id only at run time; the statement is ' +
          'limited to the one prefix the job touches (tenants/ or archive/), the handler refuses ' +
          'any unscoped prefix, and the role belongs to this worker alone.',
      );
    }
  }
}
