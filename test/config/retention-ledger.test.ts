import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../bin/retention-ledger';
import type { PlatformConfig } from '../../lib/config';
import { DEFAULT_CONFIG } from '../../lib/config';
import {
  checkRetentionLedger,
  ledgerTimeline,
  retentionLedger,
} from '../../lib/config/retention-ledger';

function variant(change: (c: PlatformConfig) => void): PlatformConfig {
  const copy = structuredClone(DEFAULT_CONFIG);
  change(copy);
  return copy;
}

/** The default with logs kept 30 days: the largest retention that keeps the promise. */
const PROMISE_KEPT = variant((c) => {
  for (const env of Object.values(c.environments)) env.logRetentionDays = 30;
});

function rowsOf(config: PlatformConfig, env: string) {
  const found = retentionLedger(config).environments.find((e) => e.name === env);
  if (!found) throw new Error(`no ledger for ${env}`);
  return Object.fromEntries(found.rows.map((r) => [r.store, r]));
}

describe('the retention ledger on the default config', () => {
  const report = retentionLedger(DEFAULT_CONFIG);

  test('measures from grace 90, archive 365, margin 35', () => {
    expect(report.promiseDays).toBe(490);
    expect(report.archiveDay).toBe(91);
    expect(report.purgeDay).toBe(457);
    expect(report.backstopExpirationDays).toBe(398);
  });

  test('gives the exact last day of every prod store', () => {
    const prod = rowsOf(DEFAULT_CONFIG, 'prod');
    const figures = Object.fromEntries(
      Object.entries(prod).map(([store, r]) => [store, [r.lastDay, r.status]]),
    );
    expect(figures).toEqual({
      'live database (Aurora, primary region)': [91, 'ok'],
      'global database replica (ap-southeast-4)': [91, 'ok'],
      'database automated backups (PITR window, each cluster)': [126, 'ok'],
      'file bucket, every version': [91, 'ok'],
      'file replica bucket (ap-southeast-4)': [91, 'ok'],
      'database recovery points, continuous + copy': [127, 'ok'],
      'database recovery points, daily + copy': [127, 'ok'],
      'database recovery points, monthly + copy': [457, 'ok'],
      'file recovery points, continuous + copy': [127, 'ok'],
      'file recovery points, daily + copy': [127, 'ok'],
      'file recovery points, monthly + copy': [457, 'ok'],
      'archive bucket, every version': [457, 'ok'],
      'archive replica bucket (ap-southeast-4)': [490, 'ok'],
      'logs with tenant ids (tenant-facing functions and services, API access, PostgreSQL)': [
        487,
        'ok',
      ],
      'tenant user pool (Cognito users and group of the tenant)': [457, 'ok'],
      'audit records (CloudTrail data events, S3 server access logs)': [822, 'metadata'],
      'tenant registry item (global table)': [457, 'metadata'],
      'tenant registry PITR': [492, 'metadata'],
      'tenant registry recovery points + copy': [823, 'metadata'],
      'lifecycle audit table': [null, 'metadata'],
    });
  });

  test('the default config keeps the promise in every environment', () => {
    expect(report.problems).toEqual([]);
  });

  test('keeps the promise with logs kept 30 days', () => {
    expect(checkRetentionLedger(PROMISE_KEPT)).toEqual([]);
  });

  test('single-region dev has no replica or copy rows', () => {
    const stores = Object.keys(rowsOf(DEFAULT_CONFIG, 'dev'));
    expect(stores.filter((s) => /replica|copy/.test(s))).toEqual([]);
    expect(rowsOf(DEFAULT_CONFIG, 'dev')['database recovery points, monthly'].lastDay).toBe(181);
  });
});

describe('the retention ledger on configs that break the promise', () => {
  test('monthly backups kept too long name the prod field and the largest value', () => {
    const problems = checkRetentionLedger(
      variant((c) => {
        Object.values(c.environments).forEach((e) => (e.tenantLogRetentionDays = 30));
        c.environments.prod.backup.monthlyRetentionDays = 400;
      }),
    );
    expect(problems.map((p) => p.path)).toEqual([
      'environments.prod.backup.monthlyRetentionDays',
      'environments.prod.backup.monthlyRetentionDays',
    ]);
    expect(problems[0].message).toMatch(/database recovery points, monthly.*day 492, 2 days past/);
    expect(problems[0].fix).toBe('use at most 398 days (now 400)');
  });

  test('an Object Lock longer than the grace period blocks the deletion at archive time', () => {
    const problems = checkRetentionLedger(
      variant((c) => {
        Object.values(c.environments).forEach((e) => (e.tenantLogRetentionDays = 30));
        c.environments.test.storage.objectLockDays = 91;
      }),
    );
    expect(problems.map((p) => p.path)).toEqual([
      'environments.test.storage.objectLockDays',
      'environments.test.storage.objectLockDays',
    ]);
    expect(problems[0].message).toMatch(/until day 91, 1 days past the grace end.*refused/);
    expect(problems[0].fix).toBe('use at most 90 days (now 91)');
  });

  test('a lock equal to the grace period is allowed', () => {
    const config = variant((c) => {
      Object.values(c.environments).forEach((e) => (e.tenantLogRetentionDays = 30));
      c.environments.test.storage.objectLockDays = 90;
    });
    expect(checkRetentionLedger(config)).toEqual([]);
  });

  test('log retention longer than the room after the purge fails', () => {
    const problems = checkRetentionLedger(
      variant((c) => {
        Object.values(c.environments).forEach((e) => (e.tenantLogRetentionDays = 30));
        c.environments.dev.tenantLogRetentionDays = 60;
      }),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0].path).toBe('environments.dev.tenantLogRetentionDays');
    expect(problems[0].message).toMatch(/until day 517, 27 days past/);
  });
});

describe('archive retention and margin arithmetic', () => {
  test.each([
    // grace, archive, margin -> promise, archive day, purge day, backstop expiration
    [90, 365, 35, 490, 91, 457, 398],
    [30, 100, 10, 140, 31, 132, 108],
    [90, 365, 2, 457, 91, 457, 366],
    [90, 365, 1, 456, 91, 457, 366],
  ])('grace %i, archive %i, margin %i', (g, a, m, promise, archiveDay, purgeDay, backstop) => {
    const t = ledgerTimeline({
      closureGraceDays: g,
      archiveRetentionDays: a,
      ledgerMarginDays: m,
    });
    expect([t.limit, t.archiveDay, t.purgeDay, t.backstopExpirationDays]).toEqual([
      promise,
      archiveDay,
      purgeDay,
      backstop,
    ]);
  });

  test('a margin of 1 day leaves no room for the purge sweep; 2 days for the replica', () => {
    const withMargin = (m: number) =>
      variant((c) => {
        Object.values(c.environments).forEach((e) => (e.logRetentionDays = 1));
        c.retention.ledgerMarginDays = m;
      });
    const one = checkRetentionLedger(withMargin(1)).filter((p) => / bucket/.test(p.message));
    expect(one.map((p) => [p.path, p.fix])).toEqual([
      ['retention.ledgerMarginDays', 'use at least 2 days (now 1)'],
      ['retention.ledgerMarginDays', 'use at least 2 days (now 1)'],
      ['retention.ledgerMarginDays', 'use at least 3 days (now 1)'],
      ['retention.ledgerMarginDays', 'use at least 2 days (now 1)'],
      ['retention.ledgerMarginDays', 'use at least 3 days (now 1)'],
    ]);
    const two = checkRetentionLedger(withMargin(2)).filter((p) => / bucket/.test(p.message));
    expect(two.map((p) => p.fix)).toEqual([
      'use at least 3 days (now 2)',
      'use at least 3 days (now 2)',
    ]);
  });
});

describe('npm run retention-ledger', () => {
  function run(args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = main(args, { out: (s) => out.push(s), err: (s) => err.push(s) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }
  function file(config: unknown): string {
    const path = join(mkdtempSync(join(tmpdir(), 'ledger-')), 'platform.json');
    writeFileSync(path, JSON.stringify(config));
    return path;
  }

  test('prints the table and exits 0 on a config that keeps the promise', () => {
    const { code, out } = run(['--config', file(PROMISE_KEPT), '--env', 'prod']);
    expect(code).toBe(0);
    expect(out).toMatch(/Environment prod\nstore +rests on +last day +limit +status/);
    expect(out).toMatch(/database recovery points, monthly \+ copy +\S+ +457 +490 +ok/);
    expect(out).not.toMatch(/Environment dev/);
  });

  test('exits 0 on the embedded default', () => {
    const { code, out } = run([]);
    expect(code).toBe(0);
    expect(out).toMatch(/logs with tenant ids .* 487 +490 +ok/);
  });

  test('exits 1 on a config file with monthly backups too long, and prints JSON', () => {
    const bad = variant((c) => (c.environments.prod.backup.monthlyRetentionDays = 731));
    const { code, out } = run(['--config', file(bad), '--json', '--env', 'prod']);
    expect(code).toBe(1);
    const report = JSON.parse(out);
    expect(report.problems.map((p: { path: string }) => p.path)).toContain(
      'environments.prod.backup.monthlyRetentionDays',
    );
  });

  test('exits 2 on a file the schema rejects, or an unknown environment', () => {
    const bad = variant((c) => (c.environments.prod.account = '12'));
    expect(run(['--config', file(bad)]).code).toBe(2);
    expect(run(['--env', 'staging']).code).toBe(2);
  });
});
