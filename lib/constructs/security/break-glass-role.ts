import { Duration, Stack, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledge } from '../../compliance/acknowledge';

export interface BreakGlassRoleProps {
  /** Role name (`backup.breakGlassRoleName`): the detection rules match assumptions of it. */
  readonly roleName: string;
  /** ARNs of the IAM users of this account who may assume it, with MFA. */
  readonly trustedUsers: readonly string[];
  /** Longest session, in hours (1 to 12). */
  readonly maxSessionHours: number;
}

/** Most minutes since the MFA sign-in a user may wait before assuming the role. */
export const BREAK_GLASS_MFA_MAX_AGE_SECONDS = 3600;

/**
 * What the break-glass role is for: the actions every protection of the platform denies to
 * everyone else (recovery-point deletion and vault protection, key administration, bucket and
 * audit-table configuration). The protections name this role's ARN in their exemption.
 */
export const BREAK_GLASS_ACTIONS = [
  'backup:DeleteRecoveryPoint',
  'backup:UpdateRecoveryPointLifecycle',
  'backup:DeleteBackupVaultAccessPolicy',
  'backup:PutBackupVaultAccessPolicy',
  'backup:DeleteBackupVaultLockConfiguration',
  'backup:PutBackupVaultLockConfiguration',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:DisableKey',
  'kms:EnableKey',
  'kms:PutKeyPolicy',
  'kms:RevokeGrant',
  'kms:DescribeKey',
  'kms:GetKeyPolicy',
  's3:PutBucketPolicy',
  's3:DeleteBucketPolicy',
  's3:PutLifecycleConfiguration',
  's3:PutReplicationConfiguration',
  's3:PutEncryptionConfiguration',
  's3:PutBucketVersioning',
  's3:PutBucketObjectLockConfiguration',
  's3:DeleteObjectVersion',
  's3:GetBucketPolicy',
  'dynamodb:PutResourcePolicy',
  'dynamodb:DeleteResourcePolicy',
  'dynamodb:GetResourcePolicy',
] as const;

/**
 * The platform's break-glass role, created here (one per account, in the primary region's
 * Security stack) so that no one else can create a role of that name and inherit the exemptions:
 * assumable only by the named IAM users of this account, with MFA used within the last hour, for
 * at most `maxSessionHours`; tagged `BreakGlass=true`. Every assumption pages the security topic
 * (the `BreakGlassUse` EventBridge rule and the trail metric filter match the role name).
 */
export class BreakGlassRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: BreakGlassRoleProps) {
    super(scope, id);
    const { account, partition } = Stack.of(this);
    const vaults = `arn:${partition}:backup:*:${account}:*`;
    const keys = `arn:${partition}:kms:*:${account}:key/*`;
    const buckets = `arn:${partition}:s3:::*`;
    const tables = `arn:${partition}:dynamodb:*:${account}:table/*`;
    const policy = new iam.ManagedPolicy(this, 'Policy', {
      description: 'Break glass: undo the platform protections that deny everyone else',
      statements: [
        new iam.PolicyStatement({
          sid: 'UndoProtectionsOfThisAccount',
          actions: [...BREAK_GLASS_ACTIONS],
          resources: [vaults, keys, buckets, tables],
          conditions: { StringEquals: { 'aws:ResourceAccount': account } },
        }),
      ],
    });
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      description: 'Break glass: assumed by named users with MFA; every assumption pages security',
      maxSessionDuration: Duration.hours(props.maxSessionHours),
      assumedBy: new iam.AccountRootPrincipal().withConditions({
        ArnEquals: { 'aws:PrincipalArn': [...props.trustedUsers] },
        Bool: { 'aws:MultiFactorAuthPresent': 'true' },
        NumericLessThan: { 'aws:MultiFactorAuthAge': String(BREAK_GLASS_MFA_MAX_AGE_SECONDS) },
      }),
      managedPolicies: [policy],
    });
    Tags.of(this.role).add('BreakGlass', 'true');
    const wildcards: Record<string, string> = {
      [`Resource::${vaults}`]:
        'Break glass must reach every vault and recovery point of this account (recovery-point ' +
        'ARNs are generated); only the named users with MFA can assume the role, and each ' +
        'assumption pages the security topic.',
      [`Resource::${keys}`]:
        'Break glass administers the keys of this account, whose ids are generated; only the ' +
        'named users with MFA can assume the role, and each assumption pages the security topic.',
      [`Resource::${buckets}`]:
        'Bucket ARNs carry no account: the aws:ResourceAccount condition limits the statement to ' +
        'buckets of this account; only the named users with MFA can assume the role.',
      [`Resource::${tables}`]:
        'Break glass may change the resource policy of the tables of this account (the audit ' +
        'table denies that to all but break glass and the CDK deployment role); each assumption ' +
        'pages the security topic.',
    };
    for (const [finding, reason] of Object.entries(wildcards)) {
      acknowledge(policy, 'AwsSolutions', `AwsSolutions-IAM5[${finding}]`, reason);
    }
  }

  get roleArn(): string {
    return this.role.roleArn;
  }
}
