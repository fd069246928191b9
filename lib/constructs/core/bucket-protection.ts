import { Lazy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';

/** Bucket configuration that, changed, would remove a bucket's protection or its data's. */
export const BUCKET_CONFIGURATION_ACTIONS = [
  's3:PutBucketPolicy',
  's3:DeleteBucketPolicy',
  's3:PutLifecycleConfiguration',
  's3:PutReplicationConfiguration',
  's3:PutEncryptionConfiguration',
  's3:PutBucketVersioning',
  's3:PutBucketObjectLockConfiguration',
] as const;

export interface BucketProtectionProps {
  /** ARN of the break-glass role: may change the configuration and delete versions. */
  readonly breakGlassRoleArn: string;
  /**
   * ARN of the CloudFormation execution role of the CDK bootstrap
   * (`cdk-hnb659fds-cfn-exec-role-<account>-<region>`): may change the configuration, so that a
   * reviewed deployment still updates it. Whoever can make CloudFormation act as this role can
   * therefore change it too.
   * @default none
   */
  readonly deploymentRoleArn?: string;
  /**
   * How objects must be encrypted: under this KMS key only (SSE-KMS), or SSE-S3 (a bucket S3 server
   * access logging writes to). SSE-C is refused either way.
   */
  readonly encryption: { readonly kmsKeyArn: string } | 'SSE-S3';
}

/**
 * Resource-side protection of a bucket (its policy, so that no identity policy of the account,
 * AdministratorAccess included, overrides it):
 *
 * - `DenyVersionDeletionExceptNamedRoles`: `s3:DeleteObjectVersion` denied to every principal but
 *   the break-glass role and the roles given to `allowVersionDeletion` (the lifecycle workers).
 *   S3's own lifecycle expiration is not a request and is not affected.
 * - `DenyConfigurationChangesExceptDeploymentAndBreakGlass`: policy, lifecycle, replication,
 *   encryption, versioning and Object Lock configuration.
 * - `DenySseC` and `DenyOtherEncryption` (and `DenyOtherKeys` for SSE-KMS): uploads with
 *   customer-provided keys, another encryption type or another KMS key are refused.
 *
 * The account's root user can still replace a bucket policy that denies it (an S3 rule no policy
 * can change); its use pages the security topic (root sign-in alarm).
 */
export class BucketProtection {
  private readonly deleters: string[] = [];

  constructor(bucket: s3.Bucket, props: BucketProtectionProps) {
    const deleters = this.deleters;
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyVersionDeletionExceptNamedRoles',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:DeleteObjectVersion'],
        resources: [bucket.arnForObjects('*')],
        conditions: {
          ArnNotLike: {
            'aws:PrincipalArn': Lazy.list({
              produce: () => [props.breakGlassRoleArn, ...deleters],
            }),
          },
        },
      }),
    );
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyConfigurationChangesExceptDeploymentAndBreakGlass',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: [...BUCKET_CONFIGURATION_ACTIONS],
        resources: [bucket.bucketArn],
        conditions: {
          ArnNotEquals: {
            'aws:PrincipalArn': [
              props.breakGlassRoleArn,
              ...(props.deploymentRoleArn ? [props.deploymentRoleArn] : []),
            ],
          },
        },
      }),
    );
    const put = (sid: string, conditions: Record<string, unknown>) =>
      bucket.addToResourcePolicy(
        new iam.PolicyStatement({
          sid,
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['s3:PutObject'],
          resources: [bucket.arnForObjects('*')],
          conditions,
        }),
      );
    put('DenySseC', {
      Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'false' },
    });
    const kms = props.encryption === 'SSE-S3' ? undefined : props.encryption.kmsKeyArn;
    // A header that is present and names something else (negated operators match a missing key,
    // so each deny also requires the header: without it, the bucket's default encryption applies).
    const present = (header: string) => ({ Null: { [header]: 'false' } });
    const encryption = 's3:x-amz-server-side-encryption';
    put('DenyOtherEncryption', {
      ...present(encryption),
      StringNotEquals: { [encryption]: kms ? 'aws:kms' : 'AES256' },
    });
    if (kms) {
      const keyId = 's3:x-amz-server-side-encryption-aws-kms-key-id';
      put('DenyOtherKeys', { ...present(keyId), StringNotEquals: { [keyId]: kms } });
    }
  }

  /**
   * Let these roles (ARNs, `*` allowed in the role name) delete object versions: the lifecycle
   * workers that delete what they archived.
   */
  allowVersionDeletion(...roleArns: string[]): void {
    this.deleters.push(...roleArns);
  }
}
