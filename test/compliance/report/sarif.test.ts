import { renderSarif, SARIF_SCHEMA } from '@logistics-platform/cdk-iso27001/report';
import { buildFixtureReport, HANDMADE_REPORT, PLATFORM_REPORT } from './fixtures';
import { githubProblems, schemaProblems } from './sarif-checks';

const handmade = buildFixtureReport(HANDMADE_REPORT);
const upload = renderSarif(handmade);
const acknowledged = renderSarif(handmade, { results: 'acknowledged' });
const run = (log: typeof upload, name: string) => {
  const found = log.runs.find((r) => r.tool.driver.name === name);
  if (!found) throw new Error(`no run ${name}`);
  return found;
};
const size = (log: unknown) => Buffer.byteLength(JSON.stringify(log, null, 2));

describe('report.sarif (for upload) on the hand-made report', () => {
  test('passes the SARIF 2.1.0 JSON schema, one run per plugin', () => {
    expect(schemaProblems(upload)).toEqual([]);
    expect(schemaProblems(acknowledged)).toEqual([]);
    expect(upload.$schema).toBe(SARIF_SCHEMA);
    expect(upload.runs.map((r) => r.tool.driver.name)).toEqual([
      'AwsSolutions',
      'cdk-validator-cfnguard',
      'ISO.27001.2022',
      'CloudFormation Validate',
      'HIPAA.Security',
    ]);
    expect(run(upload, 'cdk-validator-cfnguard').tool.driver.version).toBe('0.0.62');
  });

  test('the schema check can fail: a result without message and a bad level are caught', () => {
    const broken = JSON.parse(JSON.stringify(upload)) as {
      runs: { results: Record<string, unknown>[] }[];
    };
    const result = broken.runs.find((r) => r.results.length)!.results[0];
    delete result.message;
    result.level = 'fatal';
    expect(schemaProblems(broken).length).toBeGreaterThan(0);
  });

  test("passes GitHub code scanning's documented ingestion checks", () => {
    expect(githubProblems(upload, size(upload))).toEqual([]);
  });

  test('holds open findings only; the acknowledged ones are in the other file, suppressed', () => {
    const open = upload.runs.flatMap((r) => r.results);
    expect(open.length).toBe(
      handmade.counts.openErrors + handmade.counts.openWarnings + handmade.counts.openNotes,
    );
    expect(open.some((r) => r.suppressions)).toBe(false);
    const acked = acknowledged.runs.flatMap((r) => r.results);
    expect(acked).toHaveLength(handmade.counts.acknowledged);
    expect(acked.every((r) => r.suppressions?.[0].kind === 'external')).toBe(true);
    const iam5 = run(acknowledged, 'AwsSolutions').results.find((r) =>
      r.ruleId.startsWith('AwsSolutions-IAM5'),
    );
    expect(iam5?.suppressions?.[0].justification).toBe(
      'The wildcard covers only the log streams of the one flow-log group (its ARN suffix :*).',
    );
    // rules (and their indexes) are the same in both files
    expect(acknowledged.runs.map((r) => r.tool.driver.rules)).toEqual(
      upload.runs.map((r) => r.tool.driver.rules),
    );
  });

  test('primary location: the source file and line of the construct; the template is related', () => {
    const [prod] = run(upload, 'ISO.27001.2022').results.filter(
      (r) => r.ruleId === 'ISO.27001.2022-BackupSelectionCoverage',
    );
    expect(prod.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: 'lib/constructs/tenant-registry.ts' },
          region: { startLine: expect.any(Number), startColumn: expect.any(Number) },
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
    expect(prod.relatedLocations).toEqual([
      {
        id: 1,
        physicalLocation: {
          artifactLocation: { uri: 'cdk.out/prod-apse2-Data.template.json' },
          region: { startLine: 3 },
        },
        message: { text: expect.stringContaining('synthesized template') },
      },
    ]);
  });

  test('every rule has help text and markdown, an https helpUri, and a security-severity', () => {
    const rules = upload.runs.flatMap((r) => r.tool.driver.rules);
    expect(rules.length).toBeGreaterThan(5);
    for (const rule of rules) {
      expect(rule.help.text).toContain(rule.shortDescription.text);
      expect(rule.help.markdown).toContain(`'${rule.id}'`); // how to acknowledge it
      expect(rule.helpUri).toMatch(/^https:\/\//);
    }
    const iso = run(upload, 'ISO.27001.2022').tool.driver.rules;
    const error = iso.find((r) => r.id === 'ISO.27001.2022-BackupSelectionCoverage');
    expect(error?.properties['security-severity']).toBe('8.0');
    expect(error?.help.text).toContain('A.8.13 Information backup');
    const warning = iso.find((r) => r.id === 'ISO.27001.2022-ListenerTlsPolicy');
    expect(warning?.properties['security-severity']).toBe('5.0');
  });

  test('the ISO help links to the repository when the CI names it', () => {
    const log = renderSarif(handmade, { repositoryUrl: 'https://github.com/org/repo/' });
    const rule = run(log, 'ISO.27001.2022').tool.driver.rules[0];
    expect(rule.helpUri).toBe(
      'https://github.com/org/repo/blob/HEAD/docs/compliance/iso27001.md#statement-of-applicability',
    );
  });

  test('fingerprints: stable across runs and line moves, distinct per construct', () => {
    const results = run(upload, 'ISO.27001.2022').results;
    const prints = results.map((r) => r.partialFingerprints['constructPathHash/v1']);
    expect(new Set(prints).size).toBe(prints.length);
    const again = renderSarif(buildFixtureReport(HANDMADE_REPORT));
    expect(run(again, 'ISO.27001.2022').results.map((r) => r.partialFingerprints)).toEqual(
      results.map((r) => r.partialFingerprints),
    );
  });

  test('a plugin that failed is an unsuccessful invocation with its message', () => {
    expect(run(upload, 'HIPAA.Security').invocations).toEqual([
      {
        executionSuccessful: false,
        toolExecutionNotifications: [
          { level: 'error', message: { text: "Validation plugin 'HIPAA.Security' failed: boom" } },
        ],
      },
    ]);
  });
});

test('the recorded platform report: nothing to upload, 40 acknowledged results on record', () => {
  const report = buildFixtureReport(PLATFORM_REPORT);
  const log = renderSarif(report, { assemblyUri: 'out' });
  expect(log.runs.flatMap((r) => r.results)).toEqual([]);
  expect(githubProblems(log, size(log))).toEqual([]);
  const record = renderSarif(report, { assemblyUri: 'out', results: 'acknowledged' });
  expect(schemaProblems(record)).toEqual([]);
  const results = record.runs.flatMap((r) => r.results);
  expect(results).toHaveLength(40);
  expect(results.every((r) => r.suppressions?.[0].justification.length)).toBe(true);
  const guard = record.runs.find((r) => r.tool.driver.name === 'cdk-validator-cfnguard');
  expect(guard?.results[0].relatedLocations?.[0].physicalLocation?.artifactLocation.uri).toMatch(
    /^out\/[a-z]+-apse2-Network\.template\.json$/,
  );
});

test('an assembly outside the repository: no template location, no file:// URI', () => {
  const log = renderSarif(handmade, { assemblyUri: null });
  expect(githubProblems(log, size(log))).toEqual([]);
  const uris = log.runs
    .flatMap((r) => r.results)
    .flatMap((r) => [...r.locations, ...(r.relatedLocations ?? [])])
    .map((l) => l.physicalLocation?.artifactLocation.uri);
  expect(uris.filter((u) => u?.includes('.template.json'))).toEqual([]);
});
