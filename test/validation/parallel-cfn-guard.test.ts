import { mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import type { IPolicyValidationContext } from 'aws-cdk-lib';
import { ParallelCfnGuardValidator } from '../../lib/validation/parallel-cfn-guard';

const TEMPLATE = {
  Resources: {
    PlainBucket: { Type: 'AWS::S3::Bucket', Properties: {} },
    PlainLogs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 7 } },
  },
};

function templateIn(dir: string, name: string): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(TEMPLATE));
  return path;
}

const context = (templatePaths: string[]) => ({ templatePaths }) as IPolicyValidationContext;
const rulesOf = (report: { violations: { ruleName: string }[] }) =>
  report.violations.map((v) => v.ruleName).sort();

test('reports what CfnGuardValidator reports, then reuses the cached result for the same template', () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'guard-cache-'));
  const first = [templateIn(mkdtempSync(join(tmpdir(), 'a-')), 'One.template.json')];
  const plugin = new ParallelCfnGuardValidator({ cacheDir, concurrency: 2 });

  const expected = new CfnGuardValidator().validate(context(first));
  const report = plugin.validate(context(first));
  expect(report.success).toBe(false);
  expect(rulesOf(report)).toEqual(rulesOf(expected));
  expect(rulesOf(report)).toEqual(
    expect.arrayContaining(['cloudwatch_log_group_retention_period_check']),
  );
  expect(readdirSync(cacheDir)).toHaveLength(1);

  // The same content elsewhere: served from the cache, pointing at the new file.
  const elsewhere = templateIn(mkdtempSync(join(tmpdir(), 'b-')), 'Two.template.json');
  const again = plugin.validate(context([elsewhere]));
  expect(rulesOf(again)).toEqual(rulesOf(expected));
  for (const v of again.violations) {
    for (const r of v.violatingResources) expect(r.templatePath).toBe(elsewhere);
  }
  expect(readdirSync(cacheDir)).toHaveLength(1);
});

test('templates given by relative path (as the CDK CLI gives them) keep their findings', () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'guard-cache-'));
  const absolute = templateIn(mkdtempSync(join(tmpdir(), 'c-')), 'Three.template.json');
  const given = relative(process.cwd(), absolute);
  const report = new ParallelCfnGuardValidator({ cacheDir }).validate(context([given]));
  expect(rulesOf(report)).toEqual(rulesOf(new CfnGuardValidator().validate(context([absolute]))));
  expect(report.violations.length).toBeGreaterThan(0);
  for (const v of report.violations) {
    for (const r of v.violatingResources) expect(r.templatePath).toBe(given);
  }
});

test('templates under a symbolic link (a worktree whose node_modules links elsewhere) keep their findings', () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'guard-cache-'));
  const real = mkdtempSync(join(tmpdir(), 'd-'));
  const link = join(mkdtempSync(join(tmpdir(), 'e-')), 'linked');
  symlinkSync(real, link);
  const given = templateIn(link, 'Four.template.json');
  const report = new ParallelCfnGuardValidator({ cacheDir }).validate(context([given]));
  expect(report.violations.length).toBeGreaterThan(0);
  for (const v of report.violations) {
    for (const r of v.violatingResources) expect(r.templatePath).toBe(given);
  }
});

test('templates of different resource types, evaluated in one call, get exactly their own findings', () => {
  // Each template runs only the rules of its own types: grouping must neither drop a template
  // nor give it another template's findings.
  const dir = mkdtempSync(join(tmpdir(), 'f-'));
  const write = (name: string, resources: object) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify({ Resources: resources }));
    return path;
  };
  const buckets = write('Buckets.template.json', { B: TEMPLATE.Resources.PlainBucket });
  const logs = write('Logs.template.json', { L: TEMPLATE.Resources.PlainLogs });
  const both = write('Both.template.json', TEMPLATE.Resources);
  const paths = [buckets, logs, both];
  const report = new ParallelCfnGuardValidator({
    cacheDir: mkdtempSync(join(tmpdir(), 'guard-cache-')),
    concurrency: 2,
  }).validate(context(paths));

  const findings = (r: typeof report) =>
    r.violations
      .flatMap((v) => v.violatingResources.map((res) => `${res.templatePath} ${v.ruleName}`))
      .sort();
  const expected = new CfnGuardValidator().validate(context(paths));
  expect(findings(report)).toEqual(findings(expected));
  const of = (path: string) => findings(report).filter((f) => f.startsWith(`${path} `));
  expect(of(buckets).length).toBeGreaterThan(0);
  expect(of(logs)).toContain(`${logs} cloudwatch_log_group_retention_period_check`);
  expect(of(logs).filter((f) => / s3_/.test(f))).toEqual([]);
  expect(of(buckets).filter((f) => /log_group/.test(f))).toEqual([]);
  expect(of(both)).toHaveLength(of(buckets).length + of(logs).length);
});

test('a template that no rule inspects (only a dashboard) has no violations, alone or beside others', () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'guard-cache-'));
  const dir = mkdtempSync(join(tmpdir(), 'd-'));
  const dashboard = join(dir, 'Dashboard.template.json');
  writeFileSync(
    dashboard,
    JSON.stringify({
      Resources: {
        Board: { Type: 'AWS::CloudWatch::Dashboard', Properties: { DashboardBody: '{}' } },
      },
    }),
  );
  const plugin = new ParallelCfnGuardValidator({ cacheDir, concurrency: 2 });
  expect(plugin.validate(context([dashboard]))).toEqual({ success: true, violations: [] });
  // Two chunks: the bucket's template in one, the dashboard's alone in the other.
  const other = templateIn(dir, 'Other.template.json');
  const fresh = new ParallelCfnGuardValidator({
    cacheDir: mkdtempSync(join(tmpdir(), 'guard-cache-')),
    concurrency: 2,
  });
  expect(rulesOf(fresh.validate(context([other, dashboard])))).toEqual(
    rulesOf(new CfnGuardValidator().validate(context([other]))),
  );
});
