import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SarifLog } from '@logistics-platform/cdk-iso27001/report';
import { ISO_27001_PACK_VERSION } from '@logistics-platform/cdk-iso27001';
import { githubProblems, schemaProblems } from '../compliance/report/sarif-checks';

const ROOT = join(__dirname, '..', '..');
const PACKAGE = join(ROOT, 'packages', 'cdk-iso27001');
const EXAMPLE = join(ROOT, 'examples', 'adopt-iso27001');
const BIN = join(ROOT, 'node_modules', '.bin');

/** The real synth runs every validator, the built-in one included. */
function withoutValidationSwitch(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.CDK_VALIDATION;
  return env;
}

/**
 * The pack as a package: `tsc` builds it to JavaScript with declarations, and the example app, a
 * separate CDK app, loads that build by package name (the workspace link in node_modules), synthesizes
 * with the real CDK CLI and gets its report.
 */
describe('examples/adopt-iso27001 adopts the built package', () => {
  let build: ReturnType<typeof spawnSync>;
  let synth: ReturnType<typeof spawnSync>;
  let out: string;
  beforeAll(() => {
    // TypeScript 7 (`typescript-7`), as the package's own build script runs it.
    const tsc = join(ROOT, 'node_modules', 'typescript-7', 'bin', 'tsc');
    build = spawnSync(process.execPath, [tsc, '-p', join(PACKAGE, 'tsconfig.build.json')], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    out = mkdtempSync(join(tmpdir(), 'adopt-iso27001-'));
    synth = spawnSync(join(BIN, 'cdk'), ['synth', '--quiet', '--output', out], {
      cwd: EXAMPLE,
      encoding: 'utf8',
      env: withoutValidationSwitch(),
    });
  }, 600_000);
  const read = (file: string) => readFileSync(join(out, 'compliance', file), 'utf8');

  test('tsc builds the package to JavaScript with .d.ts for each entry point', () => {
    expect({ status: build.status, output: `${build.stdout}${build.stderr}` }).toEqual({
      status: 0,
      output: '',
    });
    for (const entry of ['index', 'report/index', 'acknowledge']) {
      expect([entry, existsSync(join(PACKAGE, 'dist', `${entry}.js`))]).toEqual([entry, true]);
      expect([entry, existsSync(join(PACKAGE, 'dist', `${entry}.d.ts`))]).toEqual([entry, true]);
    }
    const manifest = JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8'));
    expect(manifest).toMatchObject({
      name: '@logistics-platform/cdk-iso27001',
      version: ISO_27001_PACK_VERSION,
      license: 'Apache-2.0',
    });
    expect(existsSync(join(PACKAGE, 'LICENSE'))).toBe(true);
  });

  test('the example resolves the package by name to its build, not to the sources', () => {
    // Node's own resolution from the example (Jest's maps the name to the sources)
    const node = spawnSync(
      process.execPath,
      ['-p', "require.resolve('@logistics-platform/cdk-iso27001/report')"],
      { cwd: EXAMPLE, encoding: 'utf8' },
    );
    expect(realpathSync(node.stdout.trim())).toBe(join(PACKAGE, 'dist', 'report', 'index.js'));
  });

  test('synth fails on its findings and the report is written all the same', () => {
    expect(synth.status).toBe(1);
    expect(synth.stderr).toContain('ISO.27001.2022-NoInternetIngress');
    expect(synth.stderr).toContain('Compliance report written to');
    const summary = JSON.parse(read('summary.json'));
    expect(summary.packs['ISO.27001.2022']).toMatchObject({
      pluginVersion: ISO_27001_PACK_VERSION,
      conclusion: 'failure',
    });
    expect(Object.keys(summary.packs)).toContain('CloudFormation Validate');
    const status = (id: string) => summary.controls[id].status;
    expect([status('A.8.15'), status('A.8.20'), status('A.8.22'), status('A.8.24')]).toEqual([
      'findings',
      'findings',
      'findings',
      'findings',
    ]);
    expect(status('A.5.23')).toBe('pass'); // tagged and in a region
    expect(status('A.8.16')).toBe('not-evaluated'); // no alarm in the app: nothing to pass
    expect(read('report.html')).toContain('Synth failed:');
  });

  test('its SARIF points at the line of bin/app.ts that creates each resource', () => {
    const text = read('report.sarif');
    const log = JSON.parse(text) as SarifLog;
    expect(schemaProblems(log)).toEqual([]);
    expect(githubProblems(log, Buffer.byteLength(text))).toEqual([]);
    const iso = log.runs.find((r) => r.tool.driver.name === 'ISO.27001.2022');
    const ingress = iso?.results.find((r) =>
      r.ruleId.startsWith('ISO.27001.2022-NoInternetIngress'),
    );
    const lines = readFileSync(join(EXAMPLE, 'bin', 'app.ts'), 'utf8').split('\n');
    const at = ingress?.locations[0].physicalLocation;
    expect(at?.artifactLocation.uri).toBe('bin/app.ts');
    expect(lines[(at?.region?.startLine ?? 0) - 1]).toContain(
      "new ec2.CfnSecurityGroup(stack, 'DatabaseAccess'",
    );
  });
});
