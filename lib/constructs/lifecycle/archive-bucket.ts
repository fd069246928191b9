import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { PRIVATE_BUCKET, sendEventsToEventBridge } from '../core/private-bucket';
import { acknowledge } from '../../compliance/acknowledge';
import { acknowledgeAccessLogDelivery } from '../core/access-log-delivery';
import type { ReplicaBucket } from '../core/cross-region-replication';
import { CrossRegionReplication } from '../core/cross-region-replication';
import { PlatformKey } from '../core/platform-key';

/** The replica archive bucket in the other region (see `ReplicaBucket`). */
export type ArchiveReplication = ReplicaBucket;

export interface ArchiveBucketProps {
  /** Deterministic bucket name (`names.archiveBucket`). */
  readonly bucketName: string;
  /** Alias of the bucket's own key (`names.keyAlias('archive')`). */
  readonly keyAlias: string;
  /** Name of this region's server access log bucket (Security stack), which admits delivery. */
  readonly accessLogsBucketName: string;
  /**
   * Days after creation when anything still in the bucket expires (see the retention ledger's
   * backstop), behind the purge worker; locked versions are never expired early.
   */
  readonly expireAfterDays: number;
  /** Replicate every object, delete marker and lock to another region. @default none */
  readonly replication?: ArchiveReplication;
}

/** Actions that read an archived object's content or metadata. */
const READ_ACTIONS = ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectAttributes'];

/**
 * The archive of closed tenants: versioned, Object Lock in COMPLIANCE mode with no default
 * retention (the archive worker locks every object until its tenant's purge date, and must be
 * able to remove a half-written, never-verified archive before it rebuilds it), its own KMS key,
 * TLS 1.2+ only, public access blocked, server access logs, an expiry backstop, and optional
 * replication to the other region. `restrictReadsTo` denies reading objects to every principal
 * except the named roles: an archive is never restored to a live tenant.
 */
export class ArchiveBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly key: kms.Key;
  private readonly replicationRole?: iam.Role;

  constructor(scope: Construct, id: string, props: ArchiveBucketProps) {
    super(scope, id);
    this.key = new PlatformKey(this, 'Key', {
      alias: props.keyAlias,
      description: `Encrypts the tenant archive bucket ${props.bucketName}`,
    }).key;
    const replication = props.replication
      ? new CrossRegionReplication(this, 'Replication', props.replication)
      : undefined;
    this.replicationRole = replication?.role;
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      ...PRIVATE_BUCKET,
      objectLockEnabled: true,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      serverAccessLogsBucket: s3.Bucket.fromBucketName(
        this,
        'AccessLogs',
        props.accessLogsBucketName,
      ),
      serverAccessLogsPrefix: `${props.bucketName}/`,
      lifecycleRules: [
        {
          id: 'expire-after-archive-retention',
          expiration: Duration.days(props.expireAfterDays),
          // A version becomes noncurrent only when the backstop expires it: remove it a day later.
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
      ...(replication
        ? { replicationRole: replication.role, replicationRules: replication.rules() }
        : {}),
    });
    acknowledgeAccessLogDelivery(this.bucket);
    acknowledge(
      this.bucket,
      'ISO.27001.2022',
      'ISO.27001.2022-S3ObjectLockRetention',
      'Object Lock is on in COMPLIANCE mode without a default: the archive worker locks every ' +
        "object until its tenant's purge date and verifies the lock; a default would also lock " +
        'a half-written, unverified archive that a rerun must remove before rebuilding it.',
    );
    acknowledge(
      this.bucket,
      'ISO.27001.2022',
      'ISO.27001.2022-S3BucketInBackupSelection',
      'Deliberately outside AWS Backup: a backup copy would outlive the purge the closure promise ' +
        'requires. Durability comes from versioning, COMPLIANCE-mode Object Lock on every object ' +
        'and, where the environment has a second region, the cross-region replica.',
    );
    sendEventsToEventBridge(this.bucket);
    if (replication) replication.grant(this.bucket, this.key);
    else {
      acknowledge(
        this.bucket,
        'NIST.800.53.R5',
        'NIST.800.53.R5-S3BucketReplicationEnabled',
        'This bucket is the cross-region replica of the archive (or the archive of a ' +
          'single-region environment). It has no rule back: that rule needs the primary bucket ' +
          'before this stack deploys, and the primary rule needs this bucket first. Object Lock ' +
          'in compliance mode keeps every version until its purge date; an archive written ' +
          'here while this region is the writer stays in this region, as the regional-failover ' +
          'runbook says.',
      );
    }
  }

  /**
   * Deny reading objects to every principal except `roles` (and, on a replicating bucket, the
   * replication role, whose GetObjectVersionForReplication is not a read action denied here).
   */
  restrictReadsTo(roleArns: readonly string[]): void {
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OnlyArchiveReadersReadObjects',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: READ_ACTIONS,
        resources: [this.bucket.arnForObjects('*')],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': [...roleArns] } },
      }),
    );
  }

  /** Deny writing, locking and deleting objects to every principal except `roleArns`. */
  restrictWritesTo(roleArns: readonly string[]): void {
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OnlyLifecycleWorkersWriteObjects',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: [
          's3:PutObject',
          's3:PutObjectRetention',
          's3:PutObjectLegalHold',
          's3:DeleteObject',
          's3:DeleteObjectVersion',
        ],
        resources: [this.bucket.arnForObjects('*')],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': [...roleArns] } },
      }),
    );
  }

  /** The role S3 replicates with, when the bucket replicates. */
  get replicationRoleArn(): string | undefined {
    return this.replicationRole?.roleArn;
  }
}
