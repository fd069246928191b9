import * as events from 'aws-cdk-lib/aws-events';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { BackupConfig, ResourceNames } from '../config';
import { BackupAlerts } from '../constructs/backup/backup-alerts';
import { BackupAudit } from '../constructs/backup/backup-audit';
import type { BackupRuleSettings } from '../constructs/backup/backup-plan';
import { BackupServiceRole, PlatformBackupPlan } from '../constructs/backup/backup-plan';
import { AirGappedVault, BackupRegionSettings } from '../constructs/backup/isolated-copy';
import { RestoreTesting } from '../constructs/backup/restore-testing';
import { backupVaultArn, PlatformBackupVault } from '../constructs/backup/backup-vault';
import type { DataStack } from './data-stack';
import type { NetworkStack } from './network-stack';
import type { PlatformStackProps } from './platform-stack';
import { PlatformStack } from './platform-stack';
import type { SecurityStack } from './security-stack';

export interface BackupStackProps extends PlatformStackProps {
  readonly security: SecurityStack;
  readonly network: NetworkStack;
  /** This region's Data stack, when it has a cluster: restore validation is denied connecting to it. */
  readonly data?: DataStack;
}

/** UTC schedules of the primary plan's rules (after the Australian business day). */
export const BACKUP_SCHEDULES = {
  continuous: events.Schedule.cron({ minute: '0', hour: '13' }),
  daily: events.Schedule.cron({ minute: '0', hour: '15' }),
  monthly: events.Schedule.cron({ minute: '0', hour: '16', day: '1' }),
} as const;

/** The primary region's rules: point-in-time window, daily and monthly recovery points. */
export function primaryRules(backup: BackupConfig): BackupRuleSettings[] {
  return [
    {
      name: 'continuous',
      schedule: BACKUP_SCHEDULES.continuous,
      retentionDays: backup.continuousRetentionDays,
      continuous: true,
    },
    { name: 'daily', schedule: BACKUP_SCHEDULES.daily, retentionDays: backup.dailyRetentionDays },
    {
      name: 'monthly',
      schedule: BACKUP_SCHEDULES.monthly,
      retentionDays: backup.monthlyRetentionDays,
    },
  ];
}

/** ARNs of the protected resources of a region, built from their deterministic names. */
export function protectedResourceArns(
  names: ResourceNames,
  region: string,
  account: string,
  partition: string,
) {
  const inRegion = names.inRegion(region);
  return {
    auroraCluster: `arn:${partition}:rds:${region}:${account}:cluster:${inRegion.auroraCluster}`,
    filesBucket: `arn:${partition}:s3:::${inRegion.filesBucket}`,
    tenantTable: `arn:${partition}:dynamodb:${region}:${account}:table/${inRegion.tenantTable}`,
    /** The registry's audit trail of lifecycle transitions: records, backed up with the registry. */
    tenantAuditTable: `arn:${partition}:dynamodb:${region}:${account}:table/${inRegion.environmentWide('tenant-audit')}`,
  };
}

/** `logi-prod-ap-southeast-2` -> `logi_prod_ap_southeast_2`: for APIs that refuse hyphens. */
export function underscored(name: string): string {
  return name.replace(/-/g, '_');
}

/**
 * AWS Backup of one environment in one region.
 *
 * - Every region: the locked vault (copies from the other region land here), the backup service
 *   role, EventBridge alerts to on-call, Backup Audit Manager, and restore testing of this
 *   vault's recovery points.
 * - Primary region: the plan (continuous, daily, monthly; each copied to the secondary vault)
 *   over the Aurora cluster, the file bucket and the tenant registry.
 * - Secondary region: a daily plan over its file bucket (the replica, and what the services write
 *   there after a failover, which replicates nowhere) and, with a global database, its Aurora
 *   cluster, copied back to the primary vault, so that after a failover the promoted writer and
 *   the new files are backed up in a locked vault (and copied out of the region) without a
 *   deployment.
 */
export class BackupStack extends PlatformStack {
  readonly vault: PlatformBackupVault;
  readonly serviceRole: BackupServiceRole;
  readonly plan?: PlatformBackupPlan;
  readonly alerts: BackupAlerts;
  readonly audit: BackupAudit;
  readonly restoreTesting: RestoreTesting;
  /** The logically air-gapped vault the primary's snapshot rules also copy to (where configured). */
  readonly airGappedVault?: AirGappedVault;

  constructor(scope: Construct, props: BackupStackProps) {
    super(scope, 'Backup', {
      ...props,
      description: `Backup of ${props.target.envName} in ${props.target.region}`,
    });
    const { target, names } = this;
    const { backup } = target.env;
    const peer = target.peerRegion;
    const arnsIn = (region: string) =>
      protectedResourceArns(names, region, this.account, this.partition);
    const local = arnsIn(target.region);
    const primaryRegion = target.env.primaryRegion;
    const globalDatabase = target.env.database.globalDatabase;

    this.vault = new PlatformBackupVault(this, 'Vault', {
      vaultName: names.backupVault,
      key: props.security.keys.backup.key,
      lock: {
        minRetentionDays: backup.vaultLockMinRetentionDays,
        maxRetentionDays: backup.vaultLockMaxRetentionDays,
        immutableAfterDays: backup.vaultLockImmutableAfterDays,
      },
      breakGlassRoleArn: props.security.breakGlassRoleArn,
      protectionAdministrators: this.deploymentRoleArn ? [this.deploymentRoleArn] : [],
    });
    this.serviceRole = new BackupServiceRole(this, 'ServiceRole', {
      roleName: names.physical('backup'),
    });

    // Resource-type opt-in and DynamoDB's advanced features, which the plan and its copies need.
    new BackupRegionSettings(this, 'RegionSettings', {
      logsKey: this.logsKey.key,
      logRetention: target.env.logRetentionDays as logs.RetentionDays,
    });
    const isolated = backup.isolatedCopy;
    if (target.role === 'primary' && isolated?.kind === 'logically-air-gapped') {
      this.airGappedVault = new AirGappedVault(this, 'AirGappedVault', {
        vaultName: names.physical('airgapped-vault'),
        minRetentionDays: isolated.minRetentionDays,
        maxRetentionDays: isolated.maxRetentionDays,
      });
    }
    const isolatedCopyVaultArn =
      isolated?.kind === 'backup-account' ? isolated.vaultArn : this.airGappedVault?.vaultArn;

    const planName = names.physical('backup-plan');
    if (target.role === 'primary') {
      this.plan = new PlatformBackupPlan(this, 'Plan', {
        planName,
        vault: this.vault.vault,
        rules: primaryRules(backup),
        copyToVaultArn: peer
          ? backupVaultArn(this, peer, names.inRegion(peer).backupVault)
          : undefined,
        isolatedCopyVaultArn,
        resourceArns: [
          local.auroraCluster,
          local.filesBucket,
          local.tenantTable,
          local.tenantAuditTable,
        ],
        role: this.serviceRole.role,
      });
    } else {
      this.plan = new PlatformBackupPlan(this, 'Plan', {
        planName,
        vault: this.vault.vault,
        rules: [
          {
            name: 'daily',
            schedule: BACKUP_SCHEDULES.daily,
            retentionDays: backup.dailyRetentionDays,
          },
        ],
        copyToVaultArn: backupVaultArn(
          this,
          primaryRegion,
          names.inRegion(primaryRegion).backupVault,
        ),
        resourceArns: [...(globalDatabase ? [local.auroraCluster] : []), local.filesBucket],
        role: this.serviceRole.role,
      });
    }

    const topic = props.security.onCall.topic;
    this.alerts = new BackupAlerts(this, 'Alerts', {
      topic,
      vaultName: names.backupVault,
      namePrefix: names.physical('backup'),
    });

    this.audit = new BackupAudit(this, 'Audit', {
      frameworkName: underscored(names.physical('backup_audit')),
      reportPlanPrefix: underscored(names.physical('backup')),
      requiredRetentionDays: backup.dailyRetentionDays,
      vaultLock: {
        minRetentionDays: backup.vaultLockMinRetentionDays,
        maxRetentionDays: backup.vaultLockMaxRetentionDays,
      },
      breakGlassRoleArn: this.vault.breakGlassRoleArn,
      copyRegions: target.role === 'primary' && peer ? [peer] : undefined,
      reportsBucketName: names.physical('backup-reports'),
      reportsKeyAlias: names.keyAlias('backup-reports'),
      accessLogsBucketName: names.accessLogsBucket,
      objectLockMode: target.env.production ? 'COMPLIANCE' : 'GOVERNANCE',
      production: target.env.production,
      reportRetentionDays: target.env.logRetentionDays,
    });

    // The primary tests its own recovery points; the secondary tests the copies of the
    // primary's, which is the path of a restore after losing the primary region.
    const tested = arnsIn(primaryRegion);
    const auroraHere = target.role === 'primary' || globalDatabase;
    this.restoreTesting = new RestoreTesting(this, 'RestoreTesting', {
      planName: underscored(names.physical('restore-test')),
      schedule: backup.restoreTestingSchedule,
      vaultArn: this.vault.vaultArn,
      restoreRole: this.serviceRole.role,
      auroraClusterArn: tested.auroraCluster,
      liveClusterArn: auroraHere ? local.auroraCluster : undefined,
      liveClusterResourceId: props.data?.database.clusterResourceId,
      bucketArn: tested.filesBucket,
      filesKey: props.security.keys.files.key,
      vpc: props.network.network.vpc,
      apiEgress: {
        endpointSecurityGroup: props.network.network.endpointSecurityGroup,
        s3PrefixListId: props.network.gatewayPrefixLists.s3,
      },
      // The Data stack's subnet group of the isolated subnets where this region has a cluster;
      // otherwise (a secondary region without a global database) one of its own.
      existingSubnetGroupName: auroraHere ? names.physical('db-subnets') : undefined,
      subnetGroupName: names.physical('restore-test-subnets'),
      logsKey: this.logsKey.key,
      logRetention: target.env.logRetentionDays as logs.RetentionDays,
      logGroupName: `/${names.physical('restore-validation')}`,
      topic,
      topicKey: props.security.keys.alerts.key,
    });
  }
}
