import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge } from '../../compliance/acknowledge';

/** The replica of a bucket, in another region, known by name only (it is another stack's). */
/** The id of the replication rule: the S3 replication metrics' `RuleId` dimension. */
export const REPLICATION_RULE_ID = 'to-secondary-region';

export interface ReplicaBucket {
  /** Name of the replica bucket (deterministic). */
  readonly bucketName: string;
  /** Region of the replica bucket. */
  readonly region: string;
  /** Alias of the replica region's key, e.g. `alias/logi-prod-ap-southeast-4-files`. */
  readonly keyAlias: string;
  /** S3 Replication Time Control (15 minutes). @default true */
  readonly replicationTimeControl?: boolean;
}

/**
 * Cross-region replication of one bucket to its replica: the role S3 assumes and the replication
 * rule (every object, delete markers, SSE-KMS objects re-encrypted with the replica region's key,
 * metrics, optional RTC). Use `role` and `rules()` in the bucket's props, then `grant(bucket, key)`
 * once the bucket exists: the L2 grants nothing to a role it is given.
 */
export class CrossRegionReplication extends Construct {
  readonly role: iam.Role;
  private readonly replica: ReplicaBucket;

  constructor(scope: Construct, id: string, replica: ReplicaBucket) {
    super(scope, id);
    this.replica = replica;
    const { account } = Stack.of(this);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('s3.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
      description: `Replicates ${scope.node.path} to ${replica.bucketName}`,
    });
  }

  /** The replication rule of the source bucket. */
  rules(): s3.ReplicationRule[] {
    const stack = Stack.of(this);
    const { bucketName, region, keyAlias } = this.replica;
    const replicaKeyArn = stack.formatArn({
      service: 'kms',
      region,
      resource: keyAlias,
      arnFormat: ArnFormat.NO_RESOURCE_NAME,
    });
    return [
      {
        id: REPLICATION_RULE_ID,
        priority: 1,
        destination: s3.Bucket.fromBucketAttributes(this, 'Replica', {
          bucketName,
          region,
          account: stack.account,
        }),
        kmsKey: kms.Key.fromKeyArn(this, 'ReplicaKey', replicaKeyArn),
        sseKmsEncryptedObjects: true,
        deleteMarkerReplication: true,
        metrics: s3.ReplicationTimeValue.FIFTEEN_MINUTES,
        replicationTimeControl:
          (this.replica.replicationTimeControl ?? true)
            ? s3.ReplicationTimeValue.FIFTEEN_MINUTES
            : undefined,
      },
    ];
  }

  /**
   * What S3 replication needs, written out: read the source versions (with tags, retention and
   * legal hold), write replicas and delete markers to the one replica bucket, decrypt with the
   * source key and encrypt with the replica key (known by alias only), both through S3.
   */
  grant(source: s3.Bucket, sourceKey: kms.IKey): void {
    const stack = Stack.of(this);
    const { bucketName, region, keyAlias } = this.replica;
    const statements = [
      new iam.PolicyStatement({
        actions: ['s3:GetReplicationConfiguration', 's3:ListBucket'],
        resources: [source.bucketArn],
      }),
      new iam.PolicyStatement({
        actions: [
          's3:GetObjectVersionForReplication',
          's3:GetObjectVersionAcl',
          's3:GetObjectVersionTagging',
          's3:GetObjectRetention',
          's3:GetObjectLegalHold',
        ],
        resources: [source.arnForObjects('*')],
      }),
      new iam.PolicyStatement({
        actions: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'],
        resources: [`arn:${stack.partition}:s3:::${bucketName}/*`],
      }),
      new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [sourceKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` } },
      }),
      new iam.PolicyStatement({
        actions: ['kms:Encrypt', 'kms:GenerateDataKey'],
        resources: [
          stack.formatArn({ service: 'kms', region, resource: 'key', resourceName: '*' }),
        ],
        conditions: {
          'ForAnyValue:StringEquals': { 'kms:ResourceAliases': keyAlias },
          StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` },
        },
      }),
    ];
    for (const statement of statements) this.role.addToPolicy(statement);
    this.acknowledgeFindings(source);
  }

  private acknowledgeFindings(source: s3.Bucket): void {
    const stack = Stack.of(this);
    const policy = this.role.node.findChild('DefaultPolicy');
    const { bucketName, region } = this.replica;
    acknowledge(
      policy,
      'NIST.800.53.R5',
      'NIST.800.53.R5-IAMNoInlinePolicy',
      'Inline policy of the replication role, scoped to the source bucket, its replica and their ' +
        'keys; it exists only with this role, which only S3 of this account can assume.',
    );
    acknowledge(
      policy,
      'AwsSolutions',
      `AwsSolutions-IAM5[Resource::arn:${stack.partition}:kms:${region}:${stack.account}:key/*]`,
      'The replica key lives in the other region and is known only by its alias: the statement ' +
        'is limited by kms:ResourceAliases to that one alias and by kms:ViaService to S3 there.',
    );
    const sourceId = stack.resolve((source.node.defaultChild as s3.CfnBucket).logicalId);
    const objects = [`<${sourceId}.Arn>/*`, `arn:${stack.partition}:s3:::${bucketName}/*`];
    for (const resource of objects) {
      acknowledge(
        policy,
        'AwsSolutions',
        `AwsSolutions-IAM5[Resource::${resource}]`,
        'Replication reads and replicates every object version of the source bucket, whose keys ' +
          'are not known at deploy time; the statement names only replication actions on this ' +
          'one bucket or its replica, and only S3 of this account can assume the role.',
      );
    }
  }
}
