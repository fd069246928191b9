import { Duration } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { BucketProtectionProps } from '../core/bucket-protection';
import { BucketProtection } from '../core/bucket-protection';
import { PRIVATE_BUCKET, sendEventsToEventBridge } from '../core/private-bucket';
import { acknowledgeAccessLogDelivery } from '../core/access-log-delivery';
import { acknowledgeAll } from '../../compliance/acknowledge';

export interface AuditBucketProps {
  /** Deterministic bucket name, `<app>-<env>-<region>-audit`. */
  readonly bucketName: string;
  /** Customer-managed key for SSE-KMS (CloudTrail and AWS Config must be allowed to use it). */
  readonly key: kms.IKey;
  /** Name of this region's server access logs bucket (another stack creates it). */
  readonly accessLogsBucketName: string;
  /** Object Lock default retention mode of every new object version. */
  readonly lockMode: 'GOVERNANCE' | 'COMPLIANCE';
  /** Days every new object version is locked; objects expire after the same number of days. */
  readonly retentionDays: number;
  /**
   * Whether the bucket belongs to a production environment: only there does the ISO pack ask for
   * a cross-region copy (its resilience scope), so only there is that finding acknowledged.
   * @default true
   */
  readonly production?: boolean;
  /** Who may still change the bucket's configuration or delete versions (`BucketProtection`). */
  readonly protection: Omit<BucketProtectionProps, 'encryption'>;
}

/**
 * The audit evidence bucket of one account and region: CloudTrail log files (primary region) and
 * AWS Config snapshots and history (every region). Write-once (Object Lock with a default
 * retention, versioned), SSE-KMS with the audit key, TLS 1.2+ only, public access blocked, ACLs
 * disabled, server access logs to the region's access-logs bucket, objects expired after the
 * retention period. Retained when the stack is deleted. Its policy denies deleting versions and
 * changing its configuration (but to break glass, and deployment for the configuration), SSE-C
 * and keys other than the audit key.
 */
export class AuditBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: AuditBucketProps) {
    super(scope, id);
    const days = Duration.days(props.retentionDays);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      ...PRIVATE_BUCKET,
      objectLockEnabled: true,
      objectLockDefaultRetention:
        props.lockMode === 'COMPLIANCE'
          ? s3.ObjectLockRetention.compliance(days)
          : s3.ObjectLockRetention.governance(days),
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.key,
      bucketKeyEnabled: true,
      serverAccessLogsBucket: s3.Bucket.fromBucketName(
        this,
        'AccessLogs',
        props.accessLogsBucketName,
      ),
      serverAccessLogsPrefix: `${props.bucketName}/`,
      lifecycleRules: [
        {
          id: 'expire-audit-evidence',
          expiration: days,
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
    });
    acknowledgeAccessLogDelivery(this.bucket);
    sendEventsToEventBridge(this.bucket);
    new BucketProtection(this.bucket, {
      ...props.protection,
      encryption: { kmsKeyArn: props.key.keyArn },
    });
    const noCopy =
      'Audit evidence is write-once (Object Lock default retention, versioned, SSE-KMS, retained on ' +
      'stack deletion); the CloudTrail log files are also delivered to the CloudWatch Logs group ' +
      'of the trail, a second copy, and AWS Config history can be re-read from the Config service.';
    acknowledgeAll(
      this.bucket,
      [
        ...((props.production ?? true)
          ? [['ISO.27001.2022', 'ISO.27001.2022-S3CrossRegionReplication'] as const]
          : []),
        ['ISO.27001.2022', 'ISO.27001.2022-S3BucketInBackupSelection'],
        ['NIST.800.53.R5', 'NIST.800.53.R5-S3BucketReplicationEnabled'],
      ],
      noCopy,
    );
  }
}
