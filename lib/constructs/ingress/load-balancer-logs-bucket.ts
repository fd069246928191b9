import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { PRIVATE_BUCKET, sendEventsToEventBridge } from '../core/private-bucket';
import { acknowledgeAccessLogDelivery } from '../core/access-log-delivery';
import { acknowledge } from '../../compliance/acknowledge';

export interface LoadBalancerLogsBucketProps {
  /** Deterministic bucket name, `<app>-<env>-<region>-alb-logs`. */
  readonly bucketName: string;
  /** Name of this region's server access logs bucket (another stack creates it). */
  readonly accessLogsBucketName: string;
  /** Days access logs are kept. */
  readonly retentionDays: number;
  /**
   * Whether the bucket belongs to a production environment: only there does the ISO pack ask for
   * a cross-region copy (its resilience scope), so only there is that finding acknowledged.
   * @default true
   */
  readonly production?: boolean;
}

/**
 * Receives the load balancer's access logs: SSE-S3 (the only encryption ALB log delivery
 * supports), versioned, TLS 1.2+ only, public access blocked, ACLs disabled, server access logs
 * to the region's access-logs bucket, logs expired after the retention period, retained when the
 * stack is deleted. The load balancer adds its delivery statement (`logAccessLogs`).
 */
export class LoadBalancerLogsBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: LoadBalancerLogsBucketProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      ...PRIVATE_BUCKET,
      encryption: s3.BucketEncryption.S3_MANAGED,
      serverAccessLogsBucket: s3.Bucket.fromBucketName(
        this,
        'AccessLogs',
        props.accessLogsBucketName,
      ),
      serverAccessLogsPrefix: `${props.bucketName}/`,
      lifecycleRules: [
        {
          id: 'expire-logs',
          expiration: Duration.days(props.retentionDays),
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
    });
    acknowledgeAccessLogDelivery(this.bucket);
    const sseS3 =
      'Elastic Load Balancing delivers access logs only to buckets encrypted with SSE-S3 (AES-256), ' +
      'not SSE-KMS; the bucket blocks public access, accepts TLS 1.2+ only and is versioned.';
    sendEventsToEventBridge(this.bucket);
    acknowledge(this.bucket, 'NIST.800.53.R5', 'NIST.800.53.R5-S3DefaultEncryptionKMS', sseS3);
    acknowledge(
      this.bucket,
      'cdk-validator-cfnguard',
      's3_bucket_default_encryption_kms_check',
      sseS3,
    );
    acknowledge(
      this.bucket,
      'ISO.27001.2022',
      'ISO.27001.2022-DataStoreCustomerManagedKey[BucketEncryption.ServerSideEncryptionConfiguration.0.SSEAlgorithm]',
      sseS3,
    );
    const regional =
      'Load balancer access logs are operational evidence of the region they describe, kept for ' +
      'their retention period; they are versioned and retained on stack deletion, and the WAF ' +
      'log group keeps a second record of every request the web ACL evaluated.';
    if (props.production ?? true) {
      acknowledge(
        this.bucket,
        'ISO.27001.2022',
        'ISO.27001.2022-S3CrossRegionReplication',
        regional,
      );
    }
    acknowledge(
      this.bucket,
      'ISO.27001.2022',
      'ISO.27001.2022-S3BucketInBackupSelection',
      regional,
    );
    acknowledge(
      this.bucket,
      'NIST.800.53.R5',
      'NIST.800.53.R5-S3BucketReplicationEnabled',
      regional,
    );
    const noLock =
      'AWS log delivery into a bucket with an Object Lock default retention is unsupported for S3 ' +
      'server access logs and undocumented for load balancer logs; instead versioning keeps every ' +
      'overwritten or deleted log object for 30 days, and WAF logs keep a second request record.';
    acknowledge(
      this.bucket,
      'cdk-validator-cfnguard',
      's3_bucket_object_lock_enabled_check',
      noLock,
    );
    acknowledge(this.bucket, 'ISO.27001.2022', 'ISO.27001.2022-S3ObjectLockRetention', noLock);
  }
}
