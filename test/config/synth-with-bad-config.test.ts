import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG } from '../../lib/config';
import { ROOT } from '../support/cloud-assembly';

/** Runs the app the way the CDK CLI does (context in CDK_CONTEXT_JSON, output in CDK_OUTDIR). */
function synthApp(configPath: string) {
  const outdir = mkdtempSync(join(tmpdir(), 'bad-synth-'));
  const run = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), ['bin/platform.ts'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      ...process.env,
      CDK_OUTDIR: outdir,
      CDK_CONTEXT_JSON: JSON.stringify({ config: configPath }),
    },
  });
  return { ...run, outdir };
}

test('a bad config file stops synth with every problem and writes no template', () => {
  const bad = structuredClone(DEFAULT_CONFIG) as unknown as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  // A schema problem in dev, and invariant problems between the well-formed test and prod.
  bad.environments.dev.logRetentionDays = 42;
  bad.environments.prod.backup.monthlyRetentionDays = 30;
  bad.environments.prod.regions['ap-southeast-4'].vpcCidr = '10.20.0.0/16';
  const path = join(mkdtempSync(join(tmpdir(), 'cfg-')), 'platform.json');
  writeFileSync(path, JSON.stringify(bad));

  const run = synthApp(path);

  expect(run.status).not.toBe(0);
  expect(run.stderr).toContain(
    `Platform config (${path}) has 4 problems; nothing was synthesized.`,
  );
  expect(run.stderr).toContain('environments.dev.logRetentionDays');
  // The short monthly retention is also refused by the air-gapped vault's retention range.
  expect(run.stderr).toContain('environments.prod.backup.isolatedCopy');
  expect(run.stderr).toContain('environments.prod.backup.monthlyRetentionDays: monthly backups');
  expect(run.stderr).toContain(
    'environments.prod.regions.ap-southeast-4.vpcCidr: 10.20.0.0/16 overlaps',
  );
  expect(run.stderr.match(/fix: /g)).toHaveLength(4);
  const written = existsSync(run.outdir) ? readdirSync(run.outdir) : [];
  expect(written.filter((f) => f.endsWith('.template.json'))).toEqual([]);
});

test('production without an alert subscriber is refused before anything is synthesized', () => {
  const bad = structuredClone(DEFAULT_CONFIG) as unknown as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  bad.environments.prod.alerts.subscriptions = [];
  const path = join(mkdtempSync(join(tmpdir(), 'cfg-')), 'platform.json');
  writeFileSync(path, JSON.stringify(bad));

  const run = synthApp(path);

  expect(run.status).not.toBe(0);
  expect(run.stderr).toContain(
    'environments.prod.alerts.subscriptions: production has no subscriber for security alerts',
  );
  expect(run.stderr).toContain('production has no subscriber for operational alerts');
  const written = existsSync(run.outdir) ? readdirSync(run.outdir) : [];
  expect(written.filter((f) => f.endsWith('.template.json'))).toEqual([]);
});
