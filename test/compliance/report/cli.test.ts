import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runReportCli, type SarifLog } from '@logistics-platform/cdk-iso27001/report';
import { FIXTURES, GENERATED_AT, HANDMADE_REPORT, REPO_ROOT } from './fixtures';

const OUTPUTS = [
  'report-acknowledged.sarif',
  'report.html',
  'report.md',
  'report.sarif',
  'summary.json',
];

function run(argv: string[], cwd: string) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = runReportCli(argv, {
    cwd,
    now: GENERATED_AT,
    stdout: (l) => stdout.push(l),
    stderr: (l) => stderr.push(l),
  });
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

describe('npm run report (in process)', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compliance-report-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('defaults: reads cdk.out/validation-report.json, writes cdk.out/compliance/', () => {
    fs.cpSync(path.join(FIXTURES, 'handmade'), path.join(dir, 'cdk.out'), { recursive: true });
    const result = run([], dir);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('written to cdk.out/compliance/');
    expect(result.stdout).toContain(
      '6 open errors, 5 open warnings (1 not checkable), 5 acknowledged',
    );
    // the pack's evaluations sit in the same folder (the pack writes them at synth)
    expect(fs.readdirSync(path.join(dir, 'cdk.out', 'compliance')).sort()).toEqual(
      ['iso27001-evaluations.json', ...OUTPUTS].sort(),
    );
    const summary = JSON.parse(
      fs.readFileSync(path.join(dir, 'cdk.out', 'compliance', 'summary.json'), 'utf8'),
    );
    expect(summary.controls['A.8.13']).toMatchObject({ status: 'findings', resourcesEvaluated: 0 });
    const sarif = JSON.parse(
      fs.readFileSync(path.join(dir, 'cdk.out', 'compliance', 'report.sarif'), 'utf8'),
    ) as SarifLog;
    const iso = sarif.runs.find((r) => r.tool.driver.name === 'ISO.27001.2022');
    expect(iso?.results[0].locations[0].physicalLocation?.artifactLocation.uri).toBe(
      'cdk.out/prod-apse2-Data.template.json',
    );
  });

  test('--in and --out (also as --flag=value)', () => {
    const result = run([`--in=${HANDMADE_REPORT}`, '--out', 'custom/out'], dir);
    expect(result.code).toBe(0);
    expect(fs.readdirSync(path.join(dir, 'custom', 'out')).sort()).toEqual(OUTPUTS);
    const summary = JSON.parse(fs.readFileSync(path.join(dir, 'custom/out/summary.json'), 'utf8'));
    expect(summary.overall.total).toBe(17);
    expect(summary.generatedAt).toBe(GENERATED_AT.toISOString());
  });

  test('a missing report exits 1 and says to run npm run synth', () => {
    const result = run([], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cdk.out/validation-report.json: not found');
    expect(result.stderr).toContain('Run `npm run synth` first');
    expect(fs.existsSync(path.join(dir, 'cdk.out', 'compliance'))).toBe(false);
  });

  test('malformed JSON exits 1', () => {
    fs.writeFileSync(path.join(dir, 'bad.json'), '{"version": "55.0.0", ');
    const result = run(['--in', 'bad.json'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/bad\.json is not valid JSON .*npm run synth/);
  });

  test('JSON of the wrong shape exits 1 naming the field', () => {
    fs.writeFileSync(path.join(dir, 'odd.json'), JSON.stringify({ pluginReports: {} }));
    const result = run(['--in', 'odd.json'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('odd.json is not a CDK validation report');
    expect(result.stderr).toContain('report.pluginReports: expected an array');
    expect(result.stderr).toContain('npm run synth');
  });

  test('unknown or incomplete arguments exit 2 with the usage', () => {
    expect(run(['--bogus'], dir)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Usage:'),
    });
    expect(run(['--in'], dir)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--in needs a value'),
    });
    expect(run(['--help'], dir)).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('--out <dir>'),
    });
  });
});

test('bin/report.ts as npm runs it: exit code and message on a missing report', () => {
  const missing = path.join(os.tmpdir(), 'no-such-dir', 'validation-report.json');
  const result = spawnSync('npx', ['tsx', 'bin/report.ts', '--in', missing], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  expect(result.status).toBe(1);
  expect(result.stderr).toContain('not found. Run `npm run synth` first');
});
