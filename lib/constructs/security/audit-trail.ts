import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface AuditTrailProps {
  /** Deterministic trail name (one trail per account). */
  readonly trailName: string;
  /** Bucket receiving the log files (object-locked, encrypted with `key`). */
  readonly bucket: s3.Bucket;
  /** Customer-managed key that encrypts the log files. CloudTrail is granted its use here. */
  readonly key: kms.IKey;
  /** Key of the CloudWatch Logs group (the stack's logs key). */
  readonly logsKey: kms.IKey;
  /** Name of the CloudWatch Logs group the trail delivers to. */
  readonly logGroupName: string;
  /** Retention of the CloudWatch Logs group. */
  readonly logRetention: logs.RetentionDays;
  /**
   * Buckets whose object-level (data) events are recorded, by name: they may live in other stacks
   * or regions.
   */
  readonly dataEventBucketNames: readonly string[];
  /**
   * Prefix of the log files in the bucket.
   * @default 'cloudtrail'
   */
  readonly s3KeyPrefix?: string;
}

/**
 * The account's one CloudTrail trail: every region and global service events, log file
 * validation, SSE-KMS log files in the object-locked audit bucket, delivery to a KMS-encrypted
 * CloudWatch Logs group, management events and S3 data events on the named buckets.
 *
 * Written with `CfnTrail`: the L2 `Trail` gives its CloudWatch Logs role an inline policy (a
 * NIST 800-53 finding) and selects data events only by bucket object; here the role has a
 * customer-managed policy and advanced event selectors name the buckets by ARN.
 */
export class AuditTrail extends Construct {
  readonly trail: cloudtrail.CfnTrail;
  readonly logGroup: logs.LogGroup;
  /** `arn:<partition>:cloudtrail:<region>:<account>:trail/<name>` */
  readonly trailArn: string;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { account, partition } = stack;
    const prefix = props.s3KeyPrefix ?? 'cloudtrail';
    this.trailArn = stack.formatArn({
      service: 'cloudtrail',
      resource: 'trail',
      resourceName: props.trailName,
    });
    const fromThisTrail = { StringEquals: { 'aws:SourceArn': this.trailArn } };

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: props.logGroupName,
      encryptionKey: props.logsKey,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const logsRole = new iam.Role(this, 'LogsRole', {
      assumedBy: new iam.ServicePrincipal('cloudtrail.amazonaws.com', {
        conditions: fromThisTrail,
      }),
      description: `Lets the trail ${props.trailName} deliver events to its log group`,
    });
    const logsPolicy = new iam.ManagedPolicy(this, 'LogsPolicy', {
      description: 'Write CloudTrail events to the one trail log group',
      statements: [
        new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          // The log group's Arn attribute ends in `:*`, which covers its log streams only.
          resources: [this.logGroup.logGroupArn],
        }),
      ],
    });
    logsRole.addManagedPolicy(logsPolicy);

    const bucketPolicy = this.allowDelivery(props.bucket, prefix, fromThisTrail);
    props.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudTrailToEncryptLogFiles',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          ...fromThisTrail,
          StringLike: {
            'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${partition}:cloudtrail:*:${account}:trail/*`,
          },
        },
      }),
    );
    props.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudTrailToDescribeKey',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['kms:DescribeKey'],
        resources: ['*'],
        conditions: fromThisTrail,
      }),
    );

    const objectArns = props.dataEventBucketNames.map((name) => `arn:${partition}:s3:::${name}/`);
    this.trail = new cloudtrail.CfnTrail(this, 'Trail', {
      trailName: props.trailName,
      isLogging: true,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      s3BucketName: props.bucket.bucketName,
      s3KeyPrefix: prefix,
      kmsKeyId: props.key.keyArn,
      cloudWatchLogsLogGroupArn: this.logGroup.logGroupArn,
      cloudWatchLogsRoleArn: logsRole.roleArn,
      advancedEventSelectors: [
        {
          name: 'Management events',
          fieldSelectors: [{ field: 'eventCategory', equalTo: ['Management'] }],
        },
        {
          name: 'Object-level events on the tenant file buckets',
          fieldSelectors: [
            { field: 'eventCategory', equalTo: ['Data'] },
            { field: 'resources.type', equalTo: ['AWS::S3::Object'] },
            { field: 'resources.ARN', startsWith: objectArns },
          ],
        },
      ],
    });
    // The bucket policy and the role's policy must exist before CloudTrail checks that it can
    // write (the key and the role are referenced, hence created first anyway).
    this.trail.node.addDependency(bucketPolicy, logsPolicy);
  }

  /** CloudTrail may read the bucket ACL and write under `<prefix>/AWSLogs/<account>/`. */
  private allowDelivery(
    bucket: s3.Bucket,
    prefix: string,
    fromThisTrail: Record<string, unknown>,
  ): Construct {
    const principal = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AWSCloudTrailAclCheck',
        principals: [principal],
        actions: ['s3:GetBucketAcl'],
        resources: [bucket.bucketArn],
        conditions: fromThisTrail,
      }),
    );
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AWSCloudTrailWrite',
        principals: [principal],
        actions: ['s3:PutObject'],
        resources: [bucket.arnForObjects(`${prefix}/AWSLogs/${Stack.of(this).account}/*`)],
        conditions: {
          ...fromThisTrail,
          StringEquals: {
            ...(fromThisTrail.StringEquals as Record<string, string>),
            's3:x-amz-acl': 'bucket-owner-full-control',
          },
        },
      }),
    );
    if (!bucket.policy) throw new Error(`${bucket.node.path} has no bucket policy`);
    return bucket.policy;
  }
}
