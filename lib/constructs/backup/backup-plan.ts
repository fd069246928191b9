import { Duration, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledge, awsManagedPolicy } from '../../compliance/acknowledge';

/** One rule of the plan: when it runs, how long its recovery points (and their copies) live. */
export interface BackupRuleSettings {
  /** Rule name (letters, digits, `-_.`). */
  readonly name: string;
  /** UTC schedule. */
  readonly schedule: events.Schedule;
  /** Days a recovery point, and its copy in the other region, is kept. */
  readonly retentionDays: number;
  /**
   * Continuous backup (point-in-time restore) for the resource types that support it (Aurora, S3);
   * the retention is then the point-in-time window (at most 35 days).
   * @default false
   */
  readonly continuous?: boolean;
}

export interface PlatformBackupPlanProps {
  /** Plan name. */
  readonly planName: string;
  /** Vault of this region, where recovery points land. */
  readonly vault: backup.IBackupVault;
  /** The rules. */
  readonly rules: readonly BackupRuleSettings[];
  /**
   * Vault (by ARN, in the other region) that every rule copies its recovery points into.
   * @default no copies (a single-region environment)
   */
  readonly copyToVaultArn?: string;
  /**
   * Vault out of reach of the account's administrators (logically air-gapped, or in a backup
   * account) that every snapshot rule (not the continuous one) also copies to.
   * @default none
   */
  readonly isolatedCopyVaultArn?: string;
  /** ARNs of the protected resources, each named explicitly (never a tag a resource might lack). */
  readonly resourceArns: readonly string[];
  /** Role AWS Backup assumes to back up and restore; see `BackupServiceRole`. */
  readonly role: iam.IRole;
}

/**
 * An AWS Backup plan: its rules (each copying to the other region's vault when there is one) and
 * one selection naming every protected resource by ARN.
 */
export class PlatformBackupPlan extends Construct {
  readonly plan: backup.BackupPlan;
  readonly selection: backup.BackupSelection;

  constructor(scope: Construct, id: string, props: PlatformBackupPlanProps) {
    super(scope, id);
    const destination = props.copyToVaultArn
      ? backup.BackupVault.fromBackupVaultArn(this, 'CopyDestination', props.copyToVaultArn)
      : undefined;
    const isolated = props.isolatedCopyVaultArn
      ? backup.BackupVault.fromBackupVaultArn(this, 'IsolatedCopy', props.isolatedCopyVaultArn)
      : undefined;
    this.plan = new backup.BackupPlan(this, 'Plan', {
      backupPlanName: props.planName,
      backupVault: props.vault,
    });
    for (const rule of props.rules) {
      const retention = Duration.days(rule.retentionDays);
      const copies = [
        ...(destination ? [{ destinationBackupVault: destination, deleteAfter: retention }] : []),
        ...(isolated && !rule.continuous
          ? [{ destinationBackupVault: isolated, deleteAfter: retention }]
          : []),
      ];
      this.plan.addRule(
        new backup.BackupPlanRule({
          ruleName: rule.name,
          scheduleExpression: rule.schedule,
          startWindow: Duration.hours(1),
          completionWindow: Duration.hours(8),
          deleteAfter: retention,
          enableContinuousBackup: rule.continuous ?? false,
          copyActions: copies.length ? copies : undefined,
          recoveryPointTags: { 'backup-rule': rule.name },
        }),
      );
    }
    this.selection = this.plan.addSelection('Resources', {
      backupSelectionName: `${props.planName}-resources`,
      resources: props.resourceArns.map((arn) => backup.BackupResource.fromArn(arn)),
      role: props.role,
      disableDefaultBackupPolicy: true,
    });
  }
}

/** AWS managed policies the backup role needs, and why. */
export const BACKUP_SERVICE_POLICIES = [
  'service-role/AWSBackupServiceRolePolicyForBackup',
  'service-role/AWSBackupServiceRolePolicyForRestores',
  'AWSBackupServiceRolePolicyForS3Backup',
  'AWSBackupServiceRolePolicyForS3Restore',
] as const;

export interface BackupServiceRoleProps {
  /** Role name, deterministic so the on-call CLI can pass it as `--iam-role`. */
  readonly roleName: string;
}

/**
 * The role AWS Backup assumes in this region to back up, copy and restore (including restore
 * tests) Aurora, S3 and DynamoDB: exactly the four AWS managed service policies for backup and
 * restore, trusted only by AWS Backup acting for this account.
 */
export class BackupServiceRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: BackupServiceRoleProps) {
    super(scope, id);
    const { account } = Stack.of(this);
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      description: 'AWS Backup: back up, copy and restore the platform resources of this region',
      assumedBy: new iam.ServicePrincipal('backup.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
      managedPolicies: BACKUP_SERVICE_POLICIES.map((name) =>
        iam.ManagedPolicy.fromAwsManagedPolicyName(name),
      ),
    });
    for (const name of BACKUP_SERVICE_POLICIES) {
      acknowledge(
        this.role,
        'AwsSolutions',
        awsManagedPolicy(name),
        `${name} is the AWS-maintained least-privilege policy AWS Backup documents for this ` +
          'service role; AWS updates it as the service changes, the role is trusted only by ' +
          'backup.amazonaws.com for this account, and the vault policy and lock bound what it can do.',
      );
    }
  }
}
