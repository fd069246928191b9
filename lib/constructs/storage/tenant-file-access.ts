import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  acknowledge,
  acknowledgeWhile,
  serviceWideActionsOnlyDenied,
} from '../../compliance/acknowledge';

export interface TenantFileAccessProps {
  /** The file bucket holding every tenant's files under `<prefixRoot><tenantId>/`. */
  readonly bucket: s3.IBucket;
  /**
   * The key prefix under which each tenant has its own folder. Must end with `/`.
   * @default 'tenants/'
   */
  readonly prefixRoot?: string;
  /**
   * The principal (session) tag naming the caller's tenant. Whoever may set this tag on a session
   * (the trust policy's `sts:TagSession` conditions) decides which tenant a caller acts for.
   * @default 'tenant-id'
   */
  readonly tagKey?: string;
  /**
   * Whether the session may also write (PutObject) in its tenant's folder. Deleting is never
   * granted: files are write-once, and removal belongs to the tenant lifecycle.
   * @default false
   */
  readonly allowWrite?: boolean;
  /**
   * The KMS key that encrypts the bucket's objects (SSE-KMS). When set, the policy allows
   * kms:Decrypt (and kms:GenerateDataKey when writing) on it, only through S3 for this bucket.
   * @default - the bucket's own encryption key, if it has one; otherwise no KMS permissions
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Description of the managed policy.
   * @default - a description naming the bucket's tenant folders and the tag
   */
  readonly description?: string;
}

/**
 * Tenant isolation for files by ABAC (ARCHITECTURE.md section 7): a managed policy that lets a role
 * session tagged `tenant-id=X` read (and optionally write) only `tenants/X/*` and list only under
 * `tenants/X/`, and that explicitly denies every action on the bucket to a session without that tag
 * or with a tag value that could reach outside one folder (empty, or containing `/`).
 *
 * The tag comes from the session: the policy is only as strong as the control over who can tag
 * sessions (`sts:TagSession` in the role's trust policy, or the identity provider's claims).
 * Attach it only to tenant-scoped roles: its Deny also applies to untagged sessions of that role.
 */
export class TenantFileAccess extends Construct {
  /** The managed policy; attach it with {@link grantTo}. */
  readonly policy: iam.ManagedPolicy;
  /** The policy variable for the caller's tenant, e.g. `${aws:PrincipalTag/tenant-id}`. */
  readonly tenantVariable: string;
  /** The key prefix a session may use, e.g. `tenants/${aws:PrincipalTag/tenant-id}/`. */
  readonly tenantPrefix: string;

  constructor(scope: Construct, id: string, props: TenantFileAccessProps) {
    super(scope, id);
    const prefixRoot = props.prefixRoot ?? 'tenants/';
    const tagKey = props.tagKey ?? 'tenant-id';
    if (!/^([A-Za-z0-9!_.*'()-]+\/)+$/.test(prefixRoot)) {
      throw new Error(`prefixRoot must be a key prefix ending with "/" (got "${prefixRoot}")`);
    }
    if (!/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u.test(tagKey) || tagKey.startsWith('aws:')) {
      throw new Error(`tagKey must be a valid IAM tag key (got "${tagKey}")`);
    }
    const tagCondition = `aws:PrincipalTag/${tagKey}`;
    this.tenantVariable = `\${${tagCondition}}`;
    this.tenantPrefix = `${prefixRoot}${this.tenantVariable}/`;
    const { bucket } = props;
    const tenantObjects = bucket.arnForObjects(`${this.tenantPrefix}*`);
    const wholeBucket = [bucket.bucketArn, bucket.arnForObjects('*')];

    const statements = [
      new iam.PolicyStatement({
        sid: 'DenyBucketWithoutTenantTag',
        effect: iam.Effect.DENY,
        actions: ['s3:*'],
        resources: wholeBucket,
        conditions: { Null: { [tagCondition]: 'true' } },
      }),
      // Tag values cannot contain wildcards, but may be empty or contain "/": "A/B" would reach
      // into a sub-folder of tenant "A", and "" an unnamed folder.
      new iam.PolicyStatement({
        sid: 'DenyBucketWithMalformedTenantTag',
        effect: iam.Effect.DENY,
        actions: ['s3:*'],
        resources: wholeBucket,
        conditions: { StringLike: { [tagCondition]: ['', '*/*'] } },
      }),
      new iam.PolicyStatement({
        sid: 'ReadOwnTenantFiles',
        actions: ['s3:GetObject'],
        resources: [tenantObjects],
      }),
      // The trailing "/" matters: prefix "tenants/A" would also list tenant "AB".
      new iam.PolicyStatement({
        sid: 'ListOwnTenantFolder',
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${this.tenantPrefix}*`] } },
      }),
    ];
    if (props.allowWrite) {
      statements.push(
        new iam.PolicyStatement({
          sid: 'WriteOwnTenantFiles',
          actions: ['s3:PutObject'],
          resources: [tenantObjects],
        }),
      );
    }
    const key = props.encryptionKey ?? bucket.encryptionKey;
    if (key) {
      statements.push(
        new iam.PolicyStatement({
          sid: 'UseFilesKeyThroughS3',
          actions: props.allowWrite ? ['kms:Decrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt'],
          resources: [key.keyArn],
          conditions: {
            StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` },
            // With S3 Bucket Keys the context is the bucket ARN; without, the object's ARN.
            StringLike: {
              'kms:EncryptionContext:aws:s3:arn': [bucket.bucketArn, tenantObjects],
            },
          },
        }),
      );
    }

    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description:
        props.description ??
        `Files under ${prefixRoot}<${tagKey} tag>/ only, for sessions tagged ${tagKey}`,
      document: new iam.PolicyDocument({ statements }),
    });
    this.acknowledgeFindings(bucket, prefixRoot, tagKey);
  }

  /** What the policy grants is scoped per tenant by ABAC, which generic rules read as wildcards. */
  private acknowledgeFindings(bucket: s3.IBucket, prefixRoot: string, tagKey: string): void {
    const arn = Stack.of(this).resolve(bucket.bucketArn) as unknown;
    const getAtt = (arn as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
    const bucketArn = getAtt ? `<${getAtt[0]}.Arn>` : String(arn);
    acknowledge(
      this.policy,
      'AwsSolutions',
      `AwsSolutions-IAM5[Resource::${bucketArn}/${prefixRoot}<aws:PrincipalTag/${tagKey}>/*]`,
      "The object ARN is scoped to the caller's own tenant prefix by the session tag " +
        `(ABAC: ${prefixRoot}\${aws:PrincipalTag/${tagKey}}/*); sessions without the tag are ` +
        "denied, and an IAM policy simulation test proves another tenant's keys are refused.",
    );
    // Held only while no Allow has a service-wide action: a later s3:* grant leaves it open.
    acknowledgeWhile(
      this.policy,
      'NIST.800.53.R5',
      'NIST.800.53.R5-IAMPolicyNoStatementsWithFullAccess',
      'The only service-wide action (s3:*) is in an explicit Deny for sessions without the ' +
        'tenant tag; every Allow lists object-level actions on the tenant prefix only.',
      serviceWideActionsOnlyDenied,
    );
  }

  /** Attaches the policy to a tenant-scoped role (whose sessions carry the tenant tag). */
  grantTo(role: iam.IRole): void {
    role.addManagedPolicy(this.policy);
  }
}
