import type { EnvironmentConfig, RetentionConfig } from './schema';
import { LOG_RETENTION_DAYS } from './schema';

/**
 * The stores of one environment that can hold a closed tenant's bytes, each with the day after
 * deactivation (day 0) on which its last copy can still exist. Pure arithmetic on the config;
 * `retention-ledger.ts` turns the rows into a report and config problems.
 */

/** The daily lifecycle sweep claims a due tenant at most this many days after it is due. */
export const SWEEP_LAG_DAYS = 1;
/** A cross-region backup copy completes at most this many days after its source. */
export const COPY_LAG_DAYS = 1;
/** Point-in-time recovery window of the tenant registry and audit tables (DynamoDB default). */
export const REGISTRY_PITR_DAYS = 35;
/** Days a noncurrent archive version survives the backstop's expiration (S3 minimum). */
export const BACKSTOP_NONCURRENT_DAYS = 1;

/** The days every row is measured from. */
export interface LedgerTimeline {
  /** Last day of the grace period: the tenant can be reactivated until then. */
  readonly graceEnd: number;
  /** Day the archive is written and the live rows and files are deleted (grace end + sweep). */
  readonly archiveDay: number;
  /** Day the archive is purged (archive day + archive retention + sweep). */
  readonly purgeDay: number;
  /** The promise: grace + archive retention + margin. */
  readonly limit: number;
  /**
   * Expiration (days after creation) the archive buckets' lifecycle backstop must use so that an
   * archive the purge missed is gone by the promise; never before its lock and the purge.
   */
  readonly backstopExpirationDays: number;
}

export function ledgerTimeline(retention: RetentionConfig): LedgerTimeline {
  const { closureGraceDays, archiveRetentionDays, ledgerMarginDays } = retention;
  const archiveDay = closureGraceDays + SWEEP_LAG_DAYS;
  const limit = closureGraceDays + archiveRetentionDays + ledgerMarginDays;
  return {
    graceEnd: closureGraceDays,
    archiveDay,
    purgeDay: archiveDay + archiveRetentionDays + SWEEP_LAG_DAYS,
    limit,
    backstopExpirationDays: Math.max(
      limit - archiveDay - BACKSTOP_NONCURRENT_DAYS,
      archiveRetentionDays + SWEEP_LAG_DAYS,
    ),
  };
}

/** What a store holds: the tenant's own data, or the platform's records about the tenant. */
export type Holding = 'tenant-data' | 'lifecycle-metadata';

/** How to keep the promise by changing one config field. */
export interface LedgerFix {
  /** Dotted config path to change. */
  readonly path: string;
  /** Its current value. */
  readonly value: number;
  /** The largest value that keeps the promise (`max`), or the smallest (`min`). */
  readonly bound: { readonly kind: 'max' | 'min'; readonly days: number } | undefined;
  /** Text of the fix when no plain bound applies (e.g. a CloudWatch retention step). */
  readonly text?: string;
}

export interface StoreRow {
  readonly store: string;
  /** Config paths of the rules the figure rests on. */
  readonly restsOn: readonly string[];
  /** Last day after deactivation on which the bytes can exist; null: kept indefinitely. */
  readonly lastDay: number | null;
  readonly holds: Holding;
  /** Why the figure is what it is. */
  readonly basis: string;
  /** The field to change when the row breaks the promise. */
  readonly fix: LedgerFix;
  /** A failure independent of the last day (the file lock blocking the deletion). */
  readonly blocked?: string;
}

/** Every row of one environment, in the order a tenant's bytes leave the platform. */
export function storeRows(
  envName: string,
  env: EnvironmentConfig,
  retention: RetentionConfig,
): StoreRow[] {
  const t = ledgerTimeline(retention);
  const base = `environments.${envName}`;
  return [
    ...databaseRows(base, env, t),
    ...fileRows(base, env, retention, t),
    ...backupRows(base, env, t),
    ...archiveRows(env, retention, t),
    userPoolRow(t),
    logRow(base, env, retention, t),
    auditLogRow(base, env, t),
    ...registryRows(base, env, t),
  ];
}

const GRACE = 'retention.closureGraceDays';
const ARCHIVE = 'retention.archiveRetentionDays';
const MARGIN = 'retention.ledgerMarginDays';

function atMost(path: string, value: number, days: number): LedgerFix {
  return { path, value, bound: { kind: 'max', days } };
}

function databaseRows(base: string, env: EnvironmentConfig, t: LedgerTimeline): StoreRow[] {
  const { archiveDay: d } = t;
  const days = env.database.backupRetentionDays;
  const graceFix = atMost(GRACE, t.graceEnd, t.graceEnd);
  const rows: StoreRow[] = [
    {
      store: 'live database (Aurora, primary region)',
      restsOn: [GRACE],
      lastDay: d,
      holds: 'tenant-data',
      basis: `rows deleted by the archive worker after a verified archive: grace end (day ${t.graceEnd}) + ${SWEEP_LAG_DAYS} day for the daily sweep`,
      fix: graceFix,
    },
  ];
  if (env.database.globalDatabase && env.secondaryRegion) {
    rows.push({
      store: `global database replica (${env.secondaryRegion})`,
      restsOn: [GRACE, `${base}.database.replicationLagAlarmSeconds`],
      lastDay: d,
      holds: 'tenant-data',
      basis: `the deletes replicate within seconds (lag alarm at ${env.database.replicationLagAlarmSeconds} s): same day as the live database`,
      fix: graceFix,
    });
  }
  rows.push({
    store: 'database automated backups (PITR window, each cluster)',
    restsOn: [`${base}.database.backupRetentionDays`],
    lastDay: d + days,
    holds: 'tenant-data',
    basis: `a restore to the moment before the deletion (day ${d}) stays possible for ${days} days`,
    fix: atMost(`${base}.database.backupRetentionDays`, days, t.limit - d),
  });
  return rows;
}

function fileRows(
  base: string,
  env: EnvironmentConfig,
  retention: RetentionConfig,
  t: LedgerTimeline,
): StoreRow[] {
  const lockDays = env.storage.objectLockDays;
  const lockPath = `${base}.storage.objectLockDays`;
  const blocked =
    lockDays > retention.closureGraceDays
      ? `Object Lock (${env.storage.objectLockMode}, ${lockDays} days) keeps a file written on day 0 until day ${lockDays}, ` +
        `${lockDays - retention.closureGraceDays} days past the grace end (day ${retention.closureGraceDays}) when the archive may delete it: the deletion is refused`
      : undefined;
  const lastDay = blocked ? Math.max(t.archiveDay, lockDays + SWEEP_LAG_DAYS) : t.archiveDay;
  const basis =
    `every version under tenants/<id>/ is deleted by the archive worker on day ${t.archiveDay}; ` +
    `no file is written after deactivation (access disabled), so the newest lock ends on day ${lockDays} ` +
    `(must be <= grace end, day ${retention.closureGraceDays}); noncurrent versions are deleted too, not left to the ${env.storage.noncurrentExpirationDays}-day lifecycle`;
  const row = (store: string): StoreRow => ({
    store,
    restsOn: [GRACE, lockPath],
    lastDay,
    holds: 'tenant-data',
    basis,
    fix: atMost(lockPath, lockDays, retention.closureGraceDays),
    blocked,
  });
  const rows = [row('file bucket, every version')];
  if (env.secondaryRegion) rows.push(row(`file replica bucket (${env.secondaryRegion})`));
  return rows;
}

function backupRows(base: string, env: EnvironmentConfig, t: LedgerTimeline): StoreRow[] {
  const copy = env.secondaryRegion ? COPY_LAG_DAYS : 0;
  const copyText = env.secondaryRegion
    ? ` + ${COPY_LAG_DAYS} day for the copy in ${env.secondaryRegion}, kept as long`
    : '';
  const rules = [
    ['continuous', env.backup.continuousRetentionDays, 'continuousRetentionDays'],
    ['daily', env.backup.dailyRetentionDays, 'dailyRetentionDays'],
    ['monthly', env.backup.monthlyRetentionDays, 'monthlyRetentionDays'],
  ] as const;
  const rows: StoreRow[] = [];
  for (const what of ['database', 'file'] as const) {
    for (const [rule, days, field] of rules) {
      const path = `${base}.backup.${field}`;
      // The secondary region's plan: a daily rule over its file bucket and (with a global
      // database) its cluster, copied back to the primary region, kept as long.
      const secondaryDaily =
        rule === 'daily' &&
        env.secondaryRegion !== undefined &&
        (what === 'file' || env.database.globalDatabase);
      const extra = secondaryDaily
        ? `; the ${what === 'file' ? 'file replica bucket' : 'secondary cluster'} has its own daily plan in ${env.secondaryRegion}, copied back as long`
        : '';
      rows.push({
        store: `${what} recovery points, ${rule}${env.secondaryRegion ? ' + copy' : ''}`,
        restsOn: [path],
        lastDay: t.archiveDay + days + copy,
        holds: 'tenant-data',
        basis: `AWS Backup ${rule} rule: a point taken just before the deletion (day ${t.archiveDay}) is kept ${days} days${copyText}${extra}`,
        fix: atMost(path, days, t.limit - t.archiveDay - copy),
      });
    }
  }
  return rows;
}

function archiveRows(
  env: EnvironmentConfig,
  retention: RetentionConfig,
  t: LedgerTimeline,
): StoreRow[] {
  const minMargin = t.purgeDay - retention.closureGraceDays - retention.archiveRetentionDays;
  const rows: StoreRow[] = [
    {
      store: 'archive bucket, every version',
      restsOn: [ARCHIVE, MARGIN],
      lastDay: t.purgeDay,
      holds: 'tenant-data',
      basis:
        `written on day ${t.archiveDay}, locked until day ${t.archiveDay + retention.archiveRetentionDays}, ` +
        `purged by the next daily sweep; backstop: lifecycle expiration after ${t.backstopExpirationDays} days ` +
        `+ ${BACKSTOP_NONCURRENT_DAYS} day for the noncurrent version`,
      fix: {
        path: MARGIN,
        value: retention.ledgerMarginDays,
        bound: { kind: 'min', days: minMargin },
      },
    },
  ];
  if (env.secondaryRegion) {
    const lastDay = t.archiveDay + t.backstopExpirationDays + BACKSTOP_NONCURRENT_DAYS;
    rows.push({
      store: `archive replica bucket (${env.secondaryRegion})`,
      restsOn: [ARCHIVE, MARGIN],
      lastDay,
      holds: 'tenant-data',
      basis:
        'version deletes by the purge do not replicate: the replica ends by its lifecycle backstop, ' +
        `expiration ${t.backstopExpirationDays} days after day ${t.archiveDay} + ${BACKSTOP_NONCURRENT_DAYS} day for the noncurrent version`,
      fix: {
        path: MARGIN,
        value: retention.ledgerMarginDays,
        bound: { kind: 'min', days: retention.ledgerMarginDays + (lastDay - t.limit) },
      },
    });
  }
  return rows;
}

/**
 * The tenant user pool: a tenant's users (usernames and e-mail addresses, personal data) and its
 * group. Disabled at deactivation, deleted by the purge worker with the archive.
 */
function userPoolRow(t: LedgerTimeline): StoreRow {
  return {
    store: 'tenant user pool (Cognito users and group of the tenant)',
    restsOn: [GRACE, ARCHIVE],
    lastDay: t.purgeDay,
    holds: 'tenant-data',
    basis:
      `users disabled and signed out at deactivation (day 0), deleted with the tenant's group by ` +
      `the purge worker on day ${t.purgeDay}`,
    fix: { path: ARCHIVE, value: 0, bound: undefined },
  };
}

function logRow(
  base: string,
  env: EnvironmentConfig,
  retention: RetentionConfig,
  t: LedgerTimeline,
): StoreRow {
  const path = `${base}.tenantLogRetentionDays`;
  const room = t.limit - t.purgeDay;
  const fitting = LOG_RETENTION_DAYS.filter((d) => d <= room);
  const largest = fitting.length > 0 ? fitting[fitting.length - 1] : undefined;
  return {
    store: 'logs with tenant ids (tenant-facing functions and services, API access, PostgreSQL)',
    restsOn: [path],
    lastDay: t.purgeDay + env.tenantLogRetentionDays,
    holds: 'tenant-data',
    basis:
      `the purge on day ${t.purgeDay} is the last event the lifecycle logs with the tenant's id; ` +
      `those log groups keep ${env.tenantLogRetentionDays} days`,
    fix: {
      path,
      value: env.tenantLogRetentionDays,
      bound: { kind: 'max', days: room },
      text:
        largest !== undefined
          ? `use at most ${room} days: ${largest} is the largest retention CloudWatch Logs accepts within it`
          : `no CloudWatch Logs retention fits in ${room} days: raise ${MARGIN} to at least ${retention.ledgerMarginDays + 1 - room}`,
    },
  };
}

/**
 * CloudTrail data events and S3 server access logs record each access and deletion with the
 * object key (which names the tenant): evidence of processing, kept as security audit records for
 * `logRetentionDays`, with no tenant content.
 */
function auditLogRow(base: string, env: EnvironmentConfig, t: LedgerTimeline): StoreRow {
  return {
    store: 'audit records (CloudTrail data events, S3 server access logs)',
    restsOn: [`${base}.logRetentionDays`],
    lastDay: t.purgeDay + env.logRetentionDays,
    holds: 'lifecycle-metadata',
    basis:
      `records of the accesses and deletions up to the purge on day ${t.purgeDay} (API call, object ` +
      `key, caller), kept ${env.logRetentionDays} days as security evidence; no file or row content`,
    fix: { path: '', value: 0, bound: undefined },
  };
}

function registryRows(base: string, env: EnvironmentConfig, t: LedgerTimeline): StoreRow[] {
  const { purgeDay: p } = t;
  const copy = env.secondaryRegion ? COPY_LAG_DAYS : 0;
  const longest = Math.max(
    env.backup.continuousRetentionDays,
    env.backup.dailyRetentionDays,
    env.backup.monthlyRetentionDays,
  );
  const metadata =
    'lifecycle metadata only (state, dates, pseudonymous actor ids, a reason the API requires without personal data), a subset of what the audit table keeps';
  const none: LedgerFix = { path: '', value: 0, bound: undefined };
  return [
    {
      store: 'tenant registry item (global table)',
      restsOn: [ARCHIVE],
      lastDay: p,
      holds: 'lifecycle-metadata',
      basis: `reduced to a tombstone (id, state, dates) on day ${p}; before that ${metadata}`,
      fix: none,
    },
    {
      store: 'tenant registry PITR',
      restsOn: [ARCHIVE],
      lastDay: p + REGISTRY_PITR_DAYS,
      holds: 'lifecycle-metadata',
      basis: `DynamoDB point-in-time recovery keeps the pre-tombstone item ${REGISTRY_PITR_DAYS} days`,
      fix: none,
    },
    {
      store: `tenant registry recovery points${env.secondaryRegion ? ' + copy' : ''}`,
      restsOn: [`${base}.backup.monthlyRetentionDays`],
      lastDay: p + longest + copy,
      holds: 'lifecycle-metadata',
      basis: `the registry is in the AWS Backup plan: its longest rule keeps the pre-tombstone item ${longest} days`,
      fix: none,
    },
    {
      store: 'lifecycle audit table',
      restsOn: [],
      lastDay: null,
      holds: 'lifecycle-metadata',
      basis:
        'append-only, never deleted: tenant id, actor ids, reasons and counts per transition; no tenant data',
      fix: none,
    },
  ];
}
