import { Stack } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge, awsManagedPolicy } from '../../compliance/acknowledge';

export interface ConfigRecorderProps {
  /** Bucket receiving configuration snapshots and history. */
  readonly bucket: s3.Bucket;
  /** Key encrypting the delivered files. AWS Config is granted its use here. */
  readonly key: kms.IKey;
  /**
   * Record global resource types (IAM) in this region: true in exactly one region per account,
   * so global resources are recorded once.
   */
  readonly includeGlobalResourceTypes: boolean;
  /**
   * Prefix of the delivered files in the bucket.
   * @default 'config'
   */
  readonly s3KeyPrefix?: string;
  /**
   * Prefix of the names of the managed rules, so that alerts can tell them from rules that other
   * services (Security Hub) own.
   * @default 'platform-'
   */
  readonly ruleNamePrefix?: string;
}

/**
 * AWS Config managed rules mirroring the synth-time controls (cdk-nag, the ISO pack, the Control
 * Tower guardrails), so that a change made after the deployment, outside CloudFormation, is found.
 * `global: true` rules evaluate account-wide settings: only where global types are recorded.
 */
export const CONFIG_MANAGED_RULES: readonly { identifier: string; global?: boolean }[] = [
  { identifier: config.ManagedRuleIdentifiers.S3_BUCKET_PUBLIC_READ_PROHIBITED },
  { identifier: config.ManagedRuleIdentifiers.S3_BUCKET_PUBLIC_WRITE_PROHIBITED },
  { identifier: config.ManagedRuleIdentifiers.S3_BUCKET_SSL_REQUESTS_ONLY },
  { identifier: config.ManagedRuleIdentifiers.S3_BUCKET_VERSIONING_ENABLED },
  { identifier: config.ManagedRuleIdentifiers.RDS_STORAGE_ENCRYPTED },
  { identifier: config.ManagedRuleIdentifiers.DYNAMODB_PITR_ENABLED },
  { identifier: config.ManagedRuleIdentifiers.CMK_BACKING_KEY_ROTATION_ENABLED },
  { identifier: config.ManagedRuleIdentifiers.EC2_SECURITY_GROUPS_RESTRICTED_INCOMING_TRAFFIC },
  { identifier: config.ManagedRuleIdentifiers.EC2_SECURITY_GROUPS_INCOMING_SSH_DISABLED },
  { identifier: config.ManagedRuleIdentifiers.CLOUD_TRAIL_ENABLED },
  { identifier: config.ManagedRuleIdentifiers.CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED },
  { identifier: config.ManagedRuleIdentifiers.IAM_ROOT_ACCESS_KEY_CHECK, global: true },
  { identifier: config.ManagedRuleIdentifiers.ROOT_ACCOUNT_MFA_ENABLED, global: true },
];

/**
 * The AWS Config recorder of one account and region (every supported resource type, continuous
 * recording), its delivery channel (daily snapshots, SSE-KMS into the audit bucket) and the
 * managed rules of `CONFIG_MANAGED_RULES`.
 * CloudFormation starts the recorder once the delivery channel exists.
 */
export class ConfigRecorder extends Construct {
  readonly recorder: config.CfnConfigurationRecorder;
  readonly deliveryChannel: config.CfnDeliveryChannel;
  readonly role: iam.Role;
  /** The managed rules, by identifier, evaluated once the recorder and its channel exist. */
  readonly rules: Record<string, config.ManagedRule>;

  constructor(scope: Construct, id: string, props: ConfigRecorderProps) {
    super(scope, id);
    const { account } = Stack.of(this);
    const prefix = props.s3KeyPrefix ?? 'config';
    const fromThisAccount = { StringEquals: { 'aws:SourceAccount': account } };

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('config.amazonaws.com', { conditions: fromThisAccount }),
      description: 'Lets AWS Config read resource configurations of this account',
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWS_ConfigRole')],
    });
    acknowledge(
      this.role,
      'AwsSolutions',
      awsManagedPolicy('service-role/AWS_ConfigRole'),
      'AWS_ConfigRole is the AWS-maintained read-only policy that AWS Config needs to describe every ' +
        'supported resource type; AWS updates it as types are added, which a hand-written policy ' +
        'would miss. Only config.amazonaws.com of this account can assume the role.',
    );

    const principal = new iam.ServicePrincipal('config.amazonaws.com');
    props.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AWSConfigBucketPermissionsCheck',
        principals: [principal],
        actions: ['s3:GetBucketAcl', 's3:ListBucket'],
        resources: [props.bucket.bucketArn],
        conditions: fromThisAccount,
      }),
    );
    props.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AWSConfigBucketDelivery',
        principals: [principal],
        actions: ['s3:PutObject'],
        resources: [props.bucket.arnForObjects(`${prefix}/AWSLogs/${account}/Config/*`)],
        conditions: {
          StringEquals: {
            'aws:SourceAccount': account,
            's3:x-amz-acl': 'bucket-owner-full-control',
          },
        },
      }),
    );
    props.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowConfigToEncryptDeliveries',
        principals: [principal],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: fromThisAccount,
      }),
    );

    this.recorder = new config.CfnConfigurationRecorder(this, 'Recorder', {
      roleArn: this.role.roleArn,
      recordingGroup: {
        allSupported: true,
        includeGlobalResourceTypes: props.includeGlobalResourceTypes,
      },
      recordingMode: { recordingFrequency: 'CONTINUOUS' },
    });
    this.deliveryChannel = new config.CfnDeliveryChannel(this, 'DeliveryChannel', {
      s3BucketName: props.bucket.bucketName,
      s3KeyPrefix: prefix,
      s3KmsKeyArn: props.key.keyArn,
      configSnapshotDeliveryProperties: { deliveryFrequency: 'TwentyFour_Hours' },
    });
    if (props.bucket.policy) this.deliveryChannel.node.addDependency(props.bucket.policy);
    this.deliveryChannel.addResourceDependency(this.recorder);

    const rulePrefix = props.ruleNamePrefix ?? 'platform-';
    this.rules = {};
    for (const { identifier, global } of CONFIG_MANAGED_RULES) {
      if (global && !props.includeGlobalResourceTypes) continue;
      const rule = new config.ManagedRule(this, identifier, {
        identifier,
        configRuleName: `${rulePrefix}${identifier.toLowerCase().replace(/_/g, '-')}`,
        description: `AWS Config managed rule ${identifier}`,
      });
      rule.node.addDependency(this.recorder, this.deliveryChannel);
      this.rules[identifier] = rule;
    }
  }
}
