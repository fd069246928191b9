import { renderSarif, SARIF_SCHEMA, type SarifLog } from '../../../lib/compliance/report';
import { buildFixtureReport, HANDMADE_REPORT, PLATFORM_REPORT } from './fixtures';

/** The structure a SARIF 2.1.0 consumer relies on; returns the problems found. */
function sarifProblems(log: SarifLog): string[] {
  const problems: string[] = [];
  if (log.version !== '2.1.0') problems.push(`version ${log.version}`);
  if (!/sarif-2\.1\.0/.test(log.$schema)) problems.push(`$schema ${log.$schema}`);
  if (!Array.isArray(log.runs) || log.runs.length === 0) problems.push('no runs');
  log.runs.forEach((run, r) => {
    const driver = run.tool?.driver;
    if (!driver?.name) problems.push(`runs[${r}].tool.driver.name missing`);
    const ids = driver.rules.map((rule) => rule.id);
    if (new Set(ids).size !== ids.length) problems.push(`runs[${r}] duplicate rule ids`);
    for (const rule of driver.rules) {
      if (!rule.shortDescription?.text) problems.push(`rule ${rule.id} without description`);
    }
    run.results.forEach((result, i) => {
      const where = `runs[${r}].results[${i}]`;
      if (!ids.includes(result.ruleId))
        problems.push(`${where}.ruleId ${result.ruleId} not a rule`);
      if (driver.rules[result.ruleIndex]?.id !== result.ruleId) problems.push(`${where}.ruleIndex`);
      if (!['error', 'warning', 'note', 'none'].includes(result.level))
        problems.push(`${where}.level`);
      if (!result.message?.text) problems.push(`${where}.message`);
      for (const s of result.suppressions ?? []) {
        if (s.kind !== 'external' || !s.justification) problems.push(`${where}.suppressions`);
      }
    });
  });
  return problems;
}

describe('report.sarif on the hand-made report', () => {
  const log = renderSarif(buildFixtureReport(HANDMADE_REPORT));
  const run = (name: string) => {
    const found = log.runs.find((r) => r.tool.driver.name === name);
    if (!found) throw new Error(`no run ${name}`);
    return found;
  };

  test('is structurally valid SARIF 2.1.0 with one run per plugin', () => {
    expect(sarifProblems(log)).toEqual([]);
    expect(log.$schema).toBe(SARIF_SCHEMA);
    expect(log.runs.map((r) => r.tool.driver.name)).toEqual([
      'AwsSolutions',
      'cdk-validator-cfnguard',
      'ISO.27001.2022',
      'CloudFormation Validate',
      'HIPAA.Security',
    ]);
    expect(run('cdk-validator-cfnguard').tool.driver.version).toBe('0.0.62');
    expect(JSON.parse(JSON.stringify(log))).toEqual(log); // plain JSON, nothing lost
  });

  test('levels follow severities; not-checkable findings are warnings', () => {
    const iso = run('ISO.27001.2022');
    const level = (ruleId: string) => iso.results.find((r) => r.ruleId === ruleId)?.level;
    expect(level('ISO.27001.2022-BackupSelectionCoverage')).toBe('error');
    expect(level('ISO.27001.2022-ListenerTlsPolicy')).toBe('warning');
    expect(run('CloudFormation Validate').results.map((r) => r.level)).toEqual(['warning', 'note']);
    const rule = iso.tool.driver.rules.find((r) => r.id === 'ISO.27001.2022-KmsKeyRotation');
    expect(rule?.properties).toEqual({
      tags: ['ISO.27001.2022', 'A.8.24'],
      annexAControl: 'A.8.24',
    });
  });

  test('locations: construct path as logical location, template as artifact where known', () => {
    const iso = run('ISO.27001.2022');
    const [prod, test] = iso.results.filter(
      (r) => r.ruleId === 'ISO.27001.2022-BackupSelectionCoverage',
    );
    expect(prod.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: 'cdk.out/prod-apse2-Data.template.json' },
          region: { startLine: 3 },
        },
        logicalLocations: [
          {
            name: 'Resource',
            fullyQualifiedName: 'prod-apse2-Data/TenantRegistry/Table/Resource',
            kind: 'resource',
          },
        ],
      },
    ]);
    expect(prod.relatedLocations?.[0].physicalLocation?.artifactLocation.uri).toBe(
      'lib/constructs/tenant-registry.ts',
    );
    expect(test.locations[0].physicalLocation).toBeUndefined();
    expect(test.locations[0].logicalLocations?.[0].fullyQualifiedName).toBe(
      'test-apse2-Data/TenantRegistry/Table/Resource',
    );
  });

  test('acknowledged findings are results with an external suppression and its reason', () => {
    const suppressed = log.runs.flatMap((r) => r.results).filter((r) => r.suppressions);
    expect(suppressed).toHaveLength(5);
    const iam5 = run('AwsSolutions').results.find((r) => r.ruleId.startsWith('AwsSolutions-IAM5'));
    expect(iam5?.suppressions).toEqual([
      {
        kind: 'external',
        status: 'accepted',
        justification:
          'The wildcard covers only the log streams of the one flow-log group (its ARN suffix :*).',
      },
    ]);
    const noReason = run('ISO.27001.2022').results.find(
      (r) => r.ruleId === 'ISO.27001.2022-BackupMinimumRetention',
    );
    expect(noReason?.suppressions?.[0].justification).toBe('No reason given.');
    const open = run('AwsSolutions').results.find((r) => r.ruleId === 'AwsSolutions-S1');
    expect(open?.suppressions).toBeUndefined();
  });

  test('a plugin that failed is an unsuccessful invocation with its message', () => {
    expect(run('HIPAA.Security').invocations).toEqual([
      {
        executionSuccessful: false,
        toolExecutionNotifications: [
          { level: 'error', message: { text: "Validation plugin 'HIPAA.Security' failed: boom" } },
        ],
      },
    ]);
  });
});

test('report.sarif on the recorded platform report: 40 suppressed results, valid structure', () => {
  const log = renderSarif(buildFixtureReport(PLATFORM_REPORT), { assemblyUri: 'out' });
  expect(sarifProblems(log)).toEqual([]);
  const results = log.runs.flatMap((r) => r.results);
  expect(results).toHaveLength(40);
  expect(results.every((r) => r.suppressions?.[0].justification.length)).toBe(true);
  const guard = log.runs.find((r) => r.tool.driver.name === 'cdk-validator-cfnguard');
  expect(guard?.results[0].locations[0].physicalLocation?.artifactLocation.uri).toMatch(
    /^out\/[a-z]+-apse2-Network\.template\.json$/,
  );
});
