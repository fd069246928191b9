import type { EnvironmentConfig } from '../config';

/** One row of the RPO/RTO table: a recovery scenario, its figures and what each rests on. */
export interface RecoveryObjective {
  readonly scenario: string;
  /** How much data may be lost. */
  readonly rpo: string;
  readonly rpoRestsOn: string;
  /** How long until service is back (typical; restore tests measure the real figure). */
  readonly rto: string;
  readonly rtoRestsOn: string;
  /** How far back this path can go. */
  readonly window: string;
  /** The runbook of the scenario (in docs/runbooks/). @default none yet */
  readonly runbook?: string;
}

/** Hours between two daily recovery points (the plan's daily rule). */
const DAILY_INTERVAL_HOURS = 24;
/** AWS Backup continuous backup of Aurora and S3: the latest restorable time trails by about this. */
const CONTINUOUS_LAG_MINUTES = 5;

/**
 * The recovery objectives of one environment, derived from its config: continuous backup window,
 * daily and monthly retention, global database replication, file replication (with or without
 * Replication Time Control). Pure: the same config gives the same table.
 */
export function recoveryObjectives(env: EnvironmentConfig): RecoveryObjective[] {
  const { backup, database, storage } = env;
  const twoRegions = env.secondaryRegion !== undefined;
  const rows: RecoveryObjective[] = [
    {
      scenario: 'Aurora: point-in-time restore (bad migration, wrong delete)',
      rpo: `about ${CONTINUOUS_LAG_MINUTES} min`,
      rpoRestsOn:
        'AWS Backup continuous backup of the cluster (latest restorable time trails by up to 5 min)',
      rto: '20-60 min',
      rtoRestsOn: 'restore into a new cluster plus one instance (restore-db --to-time)',
      window: `${backup.continuousRetentionDays} days (backup.continuousRetentionDays)`,
      runbook: 'restore-aurora-point-in-time.md',
    },
    {
      scenario: 'Aurora: restore from a daily recovery point',
      rpo: `up to ${DAILY_INTERVAL_HOURS} h`,
      rpoRestsOn: 'daily backup rule of the plan',
      rto: '30 min to a few hours',
      rtoRestsOn: 'restore job time grows with database size; restore tests measure it weekly',
      window:
        `${backup.dailyRetentionDays} days (backup.dailyRetentionDays); monthly points ` +
        `${backup.monthlyRetentionDays} days (backup.monthlyRetentionDays)`,
      runbook: 'restore-aurora-recovery-point.md',
    },
    {
      scenario: 'Files: ransomware roll-back (encrypted, overwritten or deleted objects)',
      rpo: 'you choose T: writes after T are rolled back, kept as older versions',
      rpoRestsOn: `S3 versioning and Object Lock (${storage.objectLockMode}, ${storage.objectLockDays} days)`,
      rto: 'minutes to hours',
      rtoRestsOn: 'one copy per changed key (restore-files)',
      window:
        `noncurrent versions kept ${storage.noncurrentExpirationDays} days ` +
        `(storage.noncurrentExpirationDays); continuous backup ${backup.continuousRetentionDays} days`,
      runbook: 'ransomware-files.md',
    },
    {
      scenario: 'Tenant registry: restore the table',
      rpo: `up to ${DAILY_INTERVAL_HOURS} h`,
      rpoRestsOn:
        'daily backup rule of the plan (AWS Backup has no continuous backup for DynamoDB; ' +
        "the table's own point-in-time recovery, where enabled, narrows this)",
      rto: 'minutes to an hour',
      rtoRestsOn: 'AWS Backup restore into a new table, then repoint the workers',
      window: `${backup.dailyRetentionDays} days daily, ${backup.monthlyRetentionDays} days monthly`,
    },
  ];
  if (twoRegions && database.globalDatabase) {
    rows.push(
      {
        scenario: 'Region: planned switchover of the database',
        rpo: '0',
        rpoRestsOn: 'switchover waits until the secondary has caught up',
        rto: 'a few minutes',
        rtoRestsOn: 'Aurora global database switchover (failover --to)',
        window: 'not applicable',
        runbook: 'regional-failover.md',
      },
      {
        scenario: 'Region: unplanned failover of the database (primary region lost)',
        rpo: 'replication lag, typically under 1 s',
        rpoRestsOn:
          `Aurora global database storage replication; on-call is alarmed above ` +
          `${database.replicationLagAlarmSeconds} s of lag (database.replicationLagAlarmSeconds)`,
        rto: 'a few minutes',
        rtoRestsOn: 'managed failover plus repointing traffic (failover --unplanned)',
        window: 'not applicable',
        runbook: 'regional-failover.md',
      },
    );
  }
  if (twoRegions) {
    rows.push(
      {
        scenario: 'Region: files after losing the primary region',
        rpo: storage.replicationTimeControl ? '15 min' : 'minutes, no guaranteed bound',
        rpoRestsOn: storage.replicationTimeControl
          ? 'S3 replication with Replication Time Control (99.99% of objects within 15 min)'
          : 'S3 replication without Replication Time Control (storage.replicationTimeControl off)',
        rto: 'minutes',
        rtoRestsOn: 'the replica bucket already exists in the secondary region',
        window: 'every version replicated, with its lock',
        runbook: 'regional-failover.md',
      },
      {
        scenario:
          'Region: restore from the copy in the other region (both copies of the data lost)',
        rpo: `up to ${DAILY_INTERVAL_HOURS} h plus the copy time`,
        rpoRestsOn: 'every rule of the plan copies its recovery points to the secondary vault',
        rto: '30 min to a few hours',
        rtoRestsOn: 'restore job from the secondary vault; restore tests in that region measure it',
        window: `${backup.dailyRetentionDays} days daily, ${backup.monthlyRetentionDays} days monthly`,
        runbook: 'restore-aurora-recovery-point.md',
      },
    );
  }
  const isolated = backup.isolatedCopy;
  if (isolated) {
    rows.push({
      scenario:
        'Account compromise: restore from the isolated copy (an administrator destroyed the vaults or keys of the account)',
      rpo: `up to ${DAILY_INTERVAL_HOURS} h plus the copy time`,
      rpoRestsOn:
        isolated.kind === 'logically-air-gapped'
          ? 'the daily and monthly rules also copy to a logically air-gapped vault (AWS-owned key, compliance lock: no one in the account can delete its copies)'
          : `the daily and monthly rules also copy to ${isolated.vaultArn} in a separate backup account`,
      rto: 'hours',
      rtoRestsOn:
        isolated.kind === 'logically-air-gapped'
          ? 'share the vault to a recovery account (AWS RAM) and restore there, or restore in this account once it is safe again'
          : 'restore job in the backup account, or copy back to this account',
      window: `${backup.dailyRetentionDays} days daily, ${backup.monthlyRetentionDays} days monthly`,
    });
  }
  return rows;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** The table of one environment as Markdown. */
export function recoveryObjectivesMarkdown(envName: string, env: EnvironmentConfig): string {
  const header =
    '| scenario | RPO | RPO rests on | RTO | RTO rests on | how far back | runbook |\n' +
    '| --- | --- | --- | --- | --- | --- | --- |\n';
  const rows = recoveryObjectives(env)
    .map(
      (r) =>
        `| ${[r.scenario, r.rpo, r.rpoRestsOn, r.rto, r.rtoRestsOn, r.window].map(cell).join(' | ')}` +
        ` | ${r.runbook ? `[${r.runbook}](runbooks/${r.runbook})` : 'none yet'} |`,
    )
    .join('\n');
  const regions = env.secondaryRegion
    ? `${env.primaryRegion} and ${env.secondaryRegion}`
    : `${env.primaryRegion} only`;
  return `## ${envName} (${regions})\n\n${header}${rows}\n`;
}
