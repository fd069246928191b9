import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SarifLog } from '@logistics-platform/cdk-iso27001/report';
import { synthesizeDefaultPlatform } from '../../support/cloud-assembly';
import { githubProblems, schemaProblems } from './sarif-checks';

/**
 * The SARIF the default platform's synth writes (bin/platform.ts writes the report on every
 * synth), checked against the SARIF 2.1.0 schema and GitHub's ingestion requirements.
 */
describe('the SARIF files of the default platform synth', () => {
  const { dir, succeeded, output } = synthesizeDefaultPlatform();
  const read = (file: string) => readFileSync(join(dir, 'compliance', file), 'utf8');

  test('synth succeeded and wrote both files', () => {
    expect({ succeeded, output: succeeded ? '' : output }).toEqual({ succeeded: true, output: '' });
  });

  test('report.sarif: valid, accepted by GitHub, one run per plugin that ran', () => {
    const text = read('report.sarif');
    const log = JSON.parse(text) as SarifLog;
    expect(schemaProblems(log)).toEqual([]);
    expect(githubProblems(log, Buffer.byteLength(text))).toEqual([]);
    expect(log.runs.map((r) => r.tool.driver.name)).toEqual(
      expect.arrayContaining(['AwsSolutions', 'ISO.27001.2022', 'CloudFormation Validate']),
    );
    // synth passes with 0 open errors: nothing to alert on
    expect(log.runs.flatMap((r) => r.results).filter((r) => r.level === 'error')).toEqual([]);
  });

  test('report-acknowledged.sarif: every acknowledged finding, located in the source code', () => {
    const log = JSON.parse(read('report-acknowledged.sarif')) as SarifLog;
    expect(schemaProblems(log)).toEqual([]);
    const results = log.runs.flatMap((r) => r.results);
    expect(results.length).toBeGreaterThan(300);
    expect(results.every((r) => r.suppressions?.[0].justification)).toBe(true);
    const inSource = results.filter((r) =>
      /^(lib|bin)\/.+\.ts$/.test(r.locations[0].physicalLocation?.artifactLocation.uri ?? ''),
    );
    // the construct's source line is the primary location wherever a stack trace was recorded
    expect(inSource.length / results.length).toBeGreaterThan(0.9);
    for (const rule of log.runs.flatMap((r) => r.tool.driver.rules)) {
      expect([rule.id, Boolean(rule.help.text && rule.help.markdown && rule.helpUri)]).toEqual([
        rule.id,
        true,
      ]);
    }
  });
});
