import { Duration } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { BucketProtectionProps } from '../core/bucket-protection';
import { BucketProtection } from '../core/bucket-protection';
import { PRIVATE_BUCKET, sendEventsToEventBridge } from '../core/private-bucket';
import { acknowledge } from '../../compliance/acknowledge';
import type { ReplicaBucket } from '../core/cross-region-replication';
import { CrossRegionReplication } from '../core/cross-region-replication';

/** The replica file bucket in the other region (see `ReplicaBucket`). */
export type FileStoreReplication = ReplicaBucket;

export interface FileStoreProps {
  /** Deterministic bucket name. */
  readonly bucketName: string;
  /** Customer-managed key for SSE-KMS (with bucket keys). */
  readonly key: kms.IKey;
  /** Bucket that receives server access logs. */
  readonly accessLogsBucket: s3.IBucket;
  /** Object Lock default retention for every new object version. */
  readonly objectLock: { readonly mode: 'GOVERNANCE' | 'COMPLIANCE'; readonly days: number };
  /** Noncurrent versions move to Standard-IA after this many days... */
  readonly noncurrentTransitionDays: number;
  /** ...and are deleted after this many days. */
  readonly noncurrentExpirationDays: number;
  /** Replicate every object, delete marker and lock to another region. @default none */
  readonly replication?: FileStoreReplication;
  /** Who may still change the bucket's configuration (see `BucketProtection`). */
  readonly protection: Omit<BucketProtectionProps, 'encryption'>;
}

/**
 * A versioned, object-locked, KMS-encrypted bucket that only accepts TLS 1.2+, with public access
 * blocked, ACLs disabled, server access logs, noncurrent-version lifecycle, and optional
 * replication (delete markers, metrics, RTC) to a bucket in another region encrypted with that
 * region's key. Its policy denies deleting versions (but to break glass and the lifecycle
 * workers), configuration changes (but to deployment and break glass), SSE-C and other keys.
 */
export class FileStore extends Construct {
  readonly bucket: s3.Bucket;
  /** Role S3 replicates with (primary region only). */
  readonly replicationRole?: iam.Role;
  /** The bucket policy's denies; `allowVersionDeletion` names the lifecycle workers. */
  readonly protection: BucketProtection;

  constructor(scope: Construct, id: string, props: FileStoreProps) {
    super(scope, id);
    const lockDays = Duration.days(props.objectLock.days);
    const replication = props.replication
      ? new CrossRegionReplication(this, 'Replication', props.replication)
      : undefined;
    this.replicationRole = replication?.role;
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      ...PRIVATE_BUCKET,
      objectLockEnabled: true,
      objectLockDefaultRetention:
        props.objectLock.mode === 'COMPLIANCE'
          ? s3.ObjectLockRetention.compliance(lockDays)
          : s3.ObjectLockRetention.governance(lockDays),
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.key,
      bucketKeyEnabled: true,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: `${props.bucketName}/`,
      lifecycleRules: [
        {
          id: 'noncurrent-versions',
          noncurrentVersionTransitions: [
            {
              storageClass: s3.StorageClass.INFREQUENT_ACCESS,
              transitionAfter: Duration.days(props.noncurrentTransitionDays),
            },
          ],
          noncurrentVersionExpiration: Duration.days(props.noncurrentExpirationDays),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
      ...(replication
        ? { replicationRole: replication.role, replicationRules: replication.rules() }
        : {}),
    });
    sendEventsToEventBridge(this.bucket);
    this.protection = new BucketProtection(this.bucket, {
      ...props.protection,
      encryption: { kmsKeyArn: props.key.keyArn },
    });
    replication?.grant(this.bucket, props.key);
    if (!props.replication) {
      acknowledge(
        this.bucket,
        'NIST.800.53.R5',
        'NIST.800.53.R5-S3BucketReplicationEnabled',
        'Either the file bucket of a single-region environment (versioned, object-locked, in ' +
          "its region's backup plan) or the cross-region replica of the primary file bucket, " +
          'with no rule back: that rule needs the primary bucket before this stack deploys, and ' +
          'the primary rule needs this bucket first. The replica is versioned, object-locked and ' +
          "in its region's daily backup plan, copied to the primary region; what it receives " +
          'while its region is the writer is not in the primary bucket until copied back, a ' +
          'limit the regional-failover runbook names.',
      );
    }
  }
}
