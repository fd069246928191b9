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
  /** This bucket is the replica of another region's file bucket. @default false */
  readonly isReplica?: boolean;
}

/**
 * A versioned, object-locked, KMS-encrypted bucket that only accepts TLS 1.2+, with public access
 * blocked, ACLs disabled, server access logs, noncurrent-version lifecycle, and optional
 * replication (delete markers, metrics, RTC) to a bucket in another region encrypted with that
 * region's key.
 */
export class FileStore extends Construct {
  readonly bucket: s3.Bucket;
  /** Role S3 replicates with (primary region only). */
  replicationRole?: iam.Role;

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
    if (props.replication) this.grantReplication(props.replication, props.key);
    if (!props.replication && props.isReplica) {
      acknowledge(
        this.bucket,
        'ISO.27001.2022',
        'ISO.27001.2022-S3BucketInBackupSelection',
        'Cross-region replica of the file bucket: the backup plan protects the primary bucket ' +
          '(continuous, daily and monthly, each copied to this region); the replica itself is ' +
          'versioned and object-locked, so a second backup of it would only duplicate those copies.',
      );
    }
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

  /**
   * What S3 replication needs, written out: the L2 grants nothing to a role it is given. Read the
   * source versions (with their tags, retention and legal hold), write replicas and delete markers
   * to the one replica bucket, decrypt with the source key through S3 only.
   */
  private grantReplication(replication: FileStoreReplication, key: kms.IKey): void {
    const role = this.replicationRole!;
    const stack = Stack.of(this);
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetReplicationConfiguration', 's3:ListBucket'],
        resources: [this.bucket.bucketArn],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: [
          's3:GetObjectVersionForReplication',
          's3:GetObjectVersionAcl',
          's3:GetObjectVersionTagging',
          's3:GetObjectRetention',
          's3:GetObjectLegalHold',
        ],
        resources: [this.bucket.arnForObjects('*')],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'],
        resources: [`arn:${stack.partition}:s3:::${replication.bucketName}/*`],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` } },
      }),
    );
    const policy = role.node.findChild('DefaultPolicy');
    const bucketId = stack.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket);
    const wildcards = [
      `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/*]`,
      `AwsSolutions-IAM5[Resource::arn:${stack.partition}:s3:::${replication.bucketName}/*]`,
    ];
    for (const finding of wildcards) {
      acknowledge(
        policy,
        'AwsSolutions',
        finding,
        'Replication reads and writes every object version of the file bucket and its one replica ' +
          'bucket by design; the object actions are the read and replicate actions S3 replication ' +
          'needs, nothing else.',
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
    const role = (this.replicationRole = new iam.Role(this, 'ReplicationRole', {
      assumedBy: new iam.ServicePrincipal('s3.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: `Replicates ${this.node.path} to ${replication.bucketName}`,
    }));
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
