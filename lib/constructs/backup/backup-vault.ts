import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { acknowledge } from '../../compliance/acknowledge';

/** The vault lock: AWS Backup refuses recovery points kept shorter or longer than these. */
export interface VaultLockSettings {
  /** Recovery points must be kept at least this many days. */
  readonly minRetentionDays: number;
  /** ...and at most this many days. */
  readonly maxRetentionDays: number;
  /**
   * Days after which the lock becomes immutable (compliance mode). Omit for governance mode: the
   * lock can still be removed by a principal allowed to (only the break-glass role, see below).
   * @default governance mode
   */
  readonly immutableAfterDays?: number;
}

export interface PlatformBackupVaultProps {
  /** Deterministic vault name, `<app>-<env>-<region>-vault`, so the other region copies into it. */
  readonly vaultName: string;
  /** The region's backup key. */
  readonly key: kms.IKey;
  /** Vault lock values. */
  readonly lock: VaultLockSettings;
  /** ARN of the break-glass role (created by the Security stack): alone may delete recovery points. */
  readonly breakGlassRoleArn: string;
  /**
   * Also exempt these principals from the ban on changing the vault's protection (its access
   * policy and lock), so that a reviewed deployment can still update them. Whoever can make
   * CloudFormation act as such a role (cloudformation:* and iam:PassRole on it) can therefore
   * rewrite the vault policy; the lock itself, once in compliance mode, no one can remove.
   * @default none: only the break-glass role
   */
  readonly protectionAdministrators?: readonly string[];
}

/** Actions that destroy or shorten the life of recovery points. */
export const RECOVERY_POINT_DESTRUCTION_ACTIONS = [
  'backup:DeleteRecoveryPoint',
  'backup:UpdateRecoveryPointLifecycle',
] as const;

/** Actions that would remove the vault's protection (policy, lock) or the vault itself. */
export const VAULT_PROTECTION_ACTIONS = [
  'backup:DeleteBackupVault',
  'backup:DeleteBackupVaultAccessPolicy',
  'backup:PutBackupVaultAccessPolicy',
  'backup:DeleteBackupVaultLockConfiguration',
  'backup:PutBackupVaultLockConfiguration',
] as const;

/**
 * The region's AWS Backup vault: encrypted with the backup key, locked (min and max retention;
 * compliance mode after a cooling-off period where configured), retained with its stack, and an
 * access policy that denies to everyone but the break-glass role
 * - deleting recovery points or changing their lifecycle, and
 * - deleting the vault or changing or deleting its access policy or lock (the deployment role is
 *   exempt from this second statement only, so that reviewed changes still deploy; whoever can make
 *   CloudFormation act as it can therefore rewrite the policy, though not shorten a compliance-mode
 *   lock).
 */
export class PlatformBackupVault extends Construct {
  readonly vault: backup.BackupVault;
  readonly breakGlassRoleArn: string;

  constructor(scope: Construct, id: string, props: PlatformBackupVaultProps) {
    super(scope, id);
    this.breakGlassRoleArn = props.breakGlassRoleArn;
    const { lock } = props;

    this.vault = new backup.BackupVault(this, 'Vault', {
      backupVaultName: props.vaultName,
      encryptionKey: props.key,
      removalPolicy: RemovalPolicy.RETAIN,
      lockConfiguration: {
        minRetention: Duration.days(lock.minRetentionDays),
        maxRetention: Duration.days(lock.maxRetentionDays),
        changeableFor:
          lock.immutableAfterDays === undefined
            ? undefined
            : Duration.days(lock.immutableAfterDays),
      },
    });

    if (lock.immutableAfterDays === undefined) {
      acknowledge(
        this.vault,
        'ISO.27001.2022',
        'ISO.27001.2022-BackupVaultLocked',
        'Governance-mode lock by configuration for this non-production environment ' +
          '(backup.vaultLockImmutableAfterDays absent): its minimum and maximum retention apply, and ' +
          'the vault access policy lets only the break-glass role and the CDK deployment role ' +
          '(CloudFormation execution role) change or remove the lock, and every such change pages the ' +
          'security topic (BackupVaultChange rule).',
      );
    }
    // Not `blockRecoveryPointDeletion()`: it denies everyone, the break-glass role included.
    this.vault.addToAccessPolicy(
      new iam.PolicyStatement({
        sid: 'DenyRecoveryPointDeletionExceptBreakGlass',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: [...RECOVERY_POINT_DESTRUCTION_ACTIONS],
        resources: ['*'],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': this.breakGlassRoleArn } },
      }),
    );
    this.vault.addToAccessPolicy(
      new iam.PolicyStatement({
        sid: 'DenyProtectionChangesExceptBreakGlassAndDeployment',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: [...VAULT_PROTECTION_ACTIONS],
        resources: ['*'],
        conditions: {
          ArnNotEquals: {
            'aws:PrincipalArn': [this.breakGlassRoleArn, ...(props.protectionAdministrators ?? [])],
          },
        },
      }),
    );
  }

  get vaultName(): string {
    return this.vault.backupVaultName;
  }

  get vaultArn(): string {
    return this.vault.backupVaultArn;
  }
}

/** `arn:<partition>:backup:<region>:<account>:backup-vault:<name>`: a vault referred to by name. */
export function backupVaultArn(scope: Construct, region: string, vaultName: string): string {
  const { partition, account } = Stack.of(scope);
  return `arn:${partition}:backup:${region}:${account}:backup-vault:${vaultName}`;
}
