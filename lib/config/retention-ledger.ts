import type { ConfigProblem } from './problems';
import type { Holding, LedgerFix, StoreRow } from './retention-ledger-stores';
import { ledgerTimeline, storeRows } from './retention-ledger-stores';
import type { PlatformConfig } from './schema';

export type { Holding, LedgerTimeline } from './retention-ledger-stores';
export { ledgerTimeline } from './retention-ledger-stores';

/**
 * The retention ledger (issue 6, point 6): for every environment, every store that can hold a
 * closed tenant's bytes, the rule it rests on and the last day after deactivation (day 0) on which
 * those bytes can exist, checked against the promise: grace + archive retention + margin.
 */

/**
 * `ok`: within the promise. `violation`: outlives it, or the file lock blocks the deletion.
 * `metadata`: the platform's records about the tenant, not its data; shown, not held to the promise.
 */
export type LedgerStatus = 'ok' | 'violation' | 'metadata';

export interface LedgerRow {
  readonly store: string;
  /** Config paths of the rules the figure rests on. */
  readonly restsOn: readonly string[];
  /** Last day after deactivation on which the bytes can exist; null: kept indefinitely. */
  readonly lastDay: number | null;
  /** The promise's last day. */
  readonly limit: number;
  readonly holds: Holding;
  readonly status: LedgerStatus;
  /** Assumptions behind the figure. */
  readonly basis: string;
}

export interface EnvironmentLedger {
  readonly name: string;
  readonly rows: readonly LedgerRow[];
}

export interface LedgerReport {
  /** grace + archive retention + margin: no tenant byte may exist after this day. */
  readonly promiseDays: number;
  /** Day the live data is deleted, and day the archive is purged. */
  readonly archiveDay: number;
  readonly purgeDay: number;
  /** Lifecycle expiration the archive buckets need as a backstop (days after creation). */
  readonly backstopExpirationDays: number;
  readonly environments: readonly EnvironmentLedger[];
  /** One per violating row. */
  readonly problems: readonly ConfigProblem[];
}

export function retentionLedger(config: PlatformConfig): LedgerReport {
  const timeline = ledgerTimeline(config.retention);
  const environments: EnvironmentLedger[] = [];
  const problems: ConfigProblem[] = [];
  for (const [name, env] of Object.entries(config.environments)) {
    const rows = storeRows(name, env, config.retention).map((row) => {
      const status = statusOf(row, timeline.limit);
      if (status === 'violation') problems.push(problemOf(name, row, timeline.limit));
      return {
        store: row.store,
        restsOn: row.restsOn,
        lastDay: row.lastDay,
        limit: timeline.limit,
        holds: row.holds,
        status,
        basis: row.basis,
      };
    });
    environments.push({ name, rows });
  }
  return {
    promiseDays: timeline.limit,
    archiveDay: timeline.archiveDay,
    purgeDay: timeline.purgeDay,
    backstopExpirationDays: timeline.backstopExpirationDays,
    environments,
    problems,
  };
}

/** The ledger's violations as config problems, for `checkInvariants`. */
export function checkRetentionLedger(config: PlatformConfig): ConfigProblem[] {
  return [...retentionLedger(config).problems];
}

function statusOf(row: StoreRow, limit: number): LedgerStatus {
  if (row.holds === 'lifecycle-metadata') return 'metadata';
  if (row.blocked) return 'violation';
  return row.lastDay === null || row.lastDay > limit ? 'violation' : 'ok';
}

function problemOf(envName: string, row: StoreRow, limit: number): ConfigProblem {
  const over =
    row.lastDay === null
      ? 'keeps them indefinitely'
      : `until day ${row.lastDay}, ${row.lastDay - limit} days past`;
  const message = row.blocked
    ? `${envName}: ${row.store}: ${row.blocked}`
    : `${envName}: ${row.store} holds a closed tenant's bytes ${over} the promise (day ${limit}: grace + archive retention + margin)`;
  return { path: row.fix.path, message, fix: fixText(row.fix) };
}

function fixText(fix: LedgerFix): string {
  if (fix.text) return fix.text;
  if (!fix.bound) return 'see docs/retention-ledger.md';
  const { kind, days } = fix.bound;
  return kind === 'max'
    ? `use at most ${days} days (now ${fix.value})`
    : `use at least ${days} days (now ${fix.value})`;
}
