import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { BucketProtectionProps } from '../core/bucket-protection';
import { BucketProtection } from '../core/bucket-protection';
import { PRIVATE_BUCKET, sendEventsToEventBridge } from '../core/private-bucket';
import { acknowledge } from '../../compliance/acknowledge';

export interface AccessLogsBucketProps {
  /** Deterministic bucket name. */
  readonly bucketName: string;
  /** Days server access logs are kept. */
  readonly retentionDays: number;
  /** Who may still change the bucket's configuration or delete versions (`BucketProtection`). */
  readonly protection: Omit<BucketProtectionProps, 'encryption'>;
}

/** Days a deleted or overwritten log object stays recoverable (a noncurrent version). */
export const NONCURRENT_LOG_DAYS = 30;

/**
 * Receives the server access logs of a region's buckets: versioned, encrypted (SSE-S3, the only
 * encryption S3 server access logging can write to), TLS-only, public access blocked, logs
 * expired after the retention period, deleted or overwritten logs kept 30 days as noncurrent
 * versions; its policy denies deleting versions and changing its configuration (but to break
 * glass, and deployment for the configuration), SSE-C and SSE-KMS uploads.
 */
export class AccessLogsBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: AccessLogsBucketProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      ...PRIVATE_BUCKET,
      encryption: s3.BucketEncryption.S3_MANAGED,
      lifecycleRules: [
        {
          id: 'expire-logs',
          expiration: Duration.days(props.retentionDays),
          noncurrentVersionExpiration: Duration.days(NONCURRENT_LOG_DAYS),
        },
      ],
    });
    sendEventsToEventBridge(this.bucket);
    new BucketProtection(this.bucket, { ...props.protection, encryption: 'SSE-S3' });
    // Buckets of other stacks log here by name, so the delivery grant is account-wide: S3 server
    // access logging of this account, into this bucket only.
    const { account } = Stack.of(this);
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'S3ServerAccessLogsOfThisAccount',
        principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects('*')],
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
    );
    this.acknowledgeLogBucketFindings();
  }

  private acknowledgeLogBucketFindings(): void {
    const sseS3 =
      'S3 server access logging can only deliver to a bucket encrypted with SSE-S3 (AES-256); ' +
      'the bucket is private, versioned, TLS-only and holds access logs, not tenant data.';
    const notTenantData =
      'Holds S3 server access logs (operational evidence, not tenant data) for their retention ' +
      'period in the region they describe; S3 cannot deliver access logs to a bucket with an ' +
      'Object Lock default retention or SSE-KMS, and the bucket is versioned and TLS-only.';
    const findings: [Parameters<typeof acknowledge>[1], string, string][] = [
      ['ISO.27001.2022', 'ISO.27001.2022-S3BucketInBackupSelection', notTenantData],
      ['ISO.27001.2022', 'ISO.27001.2022-S3ObjectLockRetention', notTenantData],
      [
        'ISO.27001.2022',
        'ISO.27001.2022-DataStoreCustomerManagedKey[BucketEncryption.ServerSideEncryptionConfiguration.0.SSEAlgorithm]',
        sseS3,
      ],
      ['NIST.800.53.R5', 'NIST.800.53.R5-S3DefaultEncryptionKMS', sseS3],
      ['cdk-validator-cfnguard', 's3_bucket_default_encryption_kms_check', sseS3],
      [
        'cdk-validator-cfnguard',
        's3_bucket_logging_enabled_check',
        'This is the access-log bucket itself; logging it into itself would log its own log ' +
          'deliveries without end. Its configuration changes are CloudTrail management events ' +
          'that page the security topic, and its policy denies deleting versions and changing its ' +
          'configuration to all but the break-glass and deployment roles (object-level calls on it ' +
          'are not trail data events).',
      ],
      [
        'cdk-validator-cfnguard',
        's3_bucket_object_lock_enabled_check',
        'S3 server access log delivery does not support a destination bucket with an Object Lock ' +
          'default retention; versioning and the TLS-only, deny-by-default policy protect the logs.',
      ],
      [
        'NIST.800.53.R5',
        'NIST.800.53.R5-S3BucketReplicationEnabled',
        'Access logs are operational evidence kept for their retention period in the region they ' +
          'describe; tenant data and its audit trail are replicated and backed up elsewhere.',
      ],
    ];
    for (const [source, finding, reason] of findings) {
      acknowledge(this.bucket, source, finding, reason);
    }
  }
}
