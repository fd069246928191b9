import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance/acknowledge';

export interface FileStoreReplication {
  /** Name of the replica bucket (deterministic, in the other region). */
  readonly bucketName: string;
  /** Region of the replica bucket. */
  readonly region: string;
  /** Alias of the replica region's key, e.g. `alias/logi-prod-ap-southeast-4-files`. */
  readonly keyAlias: string;
  /** S3 Replication Time Control (15 minutes, with metrics). */
  readonly replicationTimeControl: boolean;
}

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
}

/**
 * A versioned, object-locked, KMS-encrypted bucket that only accepts TLS 1.2+, with public access
 * blocked, ACLs disabled, server access logs, noncurrent-version lifecycle, and optional
 * replication (delete markers, metrics, RTC) to a bucket in another region encrypted with that
 * region's key.
 */
export class FileStore extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: FileStoreProps) {
    super(scope, id);
    const lockDays = Duration.days(props.objectLock.days);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention:
        props.objectLock.mode === 'COMPLIANCE'
          ? s3.ObjectLockRetention.compliance(lockDays)
          : s3.ObjectLockRetention.governance(lockDays),
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: `${props.bucketName}/`,
      removalPolicy: RemovalPolicy.RETAIN,
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
      ...(props.replication ? this.replicationProps(props.replication) : {}),
    });
    sendEventsToEventBridge(this.bucket);
    if (!props.replication) {
      acknowledge(
        this.bucket,
        'NIST.800.53.R5',
        'NIST.800.53.R5-S3BucketReplicationEnabled',
        'This bucket is the cross-region replica (or the file bucket of a single-region ' +
          'environment, protected by versioning, Object Lock and AWS Backup with its copies); ' +
          'replicating it again would only loop copies back to the source region.',
      );
    }
  }

  private replicationProps(replication: FileStoreReplication): Partial<s3.BucketProps> {
    const stack = Stack.of(this);
    const destination = s3.Bucket.fromBucketAttributes(this, 'Replica', {
      bucketName: replication.bucketName,
      region: replication.region,
      account: stack.account,
    });
    const replicaKeyArn = stack.formatArn({
      service: 'kms',
      region: replication.region,
      resource: replication.keyAlias,
      arnFormat: ArnFormat.NO_RESOURCE_NAME,
    });
    const role = new iam.Role(this, 'ReplicationRole', {
      assumedBy: new iam.ServicePrincipal('s3.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: `Replicates ${this.node.path} to ${replication.bucketName}`,
    });
    // The replica key is known by alias only (it lives in the other region's stack).
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['kms:Encrypt', 'kms:GenerateDataKey'],
        resources: [
          stack.formatArn({
            service: 'kms',
            region: replication.region,
            resource: 'key',
            resourceName: '*',
          }),
        ],
        conditions: {
          'ForAnyValue:StringEquals': { 'kms:ResourceAliases': replication.keyAlias },
          StringEquals: { 'kms:ViaService': `s3.${replication.region}.amazonaws.com` },
        },
      }),
    );
    acknowledge(
      role.node.findChild('DefaultPolicy'),
      'NIST.800.53.R5',
      'NIST.800.53.R5-IAMNoInlinePolicy',
      'Inline policy written by the S3 replication grants, scoped to this source bucket, the ' +
        'replica bucket and their keys; it exists only with this role, which only S3 of this ' +
        'account can assume.',
    );
    acknowledge(
      role.node.findChild('DefaultPolicy'),
      'AwsSolutions',
      `AwsSolutions-IAM5[Resource::arn:aws:kms:${replication.region}:${stack.account}:key/*]`,
      'The replica key lives in the other region and is known only by its alias: the statement ' +
        'is limited by kms:ResourceAliases to that one alias and by kms:ViaService to S3 there.',
    );
    const rtc = replication.replicationTimeControl
      ? s3.ReplicationTimeValue.FIFTEEN_MINUTES
      : undefined;
    return {
      replicationRole: role,
      replicationRules: [
        {
          id: 'to-secondary-region',
          priority: 1,
          destination,
          kmsKey: kms.Key.fromKeyArn(this, 'ReplicaKey', replicaKeyArn),
          sseKmsEncryptedObjects: true,
          deleteMarkerReplication: true,
          metrics: s3.ReplicationTimeValue.FIFTEEN_MINUTES,
          replicationTimeControl: rtc,
        },
      ],
    };
  }
}

/**
 * Object events to EventBridge, set on the bucket itself (the L2 `eventBridgeEnabled` would add a
 * custom-resource Lambda to do the same).
 */
export function sendEventsToEventBridge(bucket: s3.Bucket): void {
  (bucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = {
    eventBridgeConfiguration: { eventBridgeEnabled: true },
  };
}
