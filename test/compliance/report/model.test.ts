import {
  buildComplianceReport,
  checkedAnnexAControls,
  parseValidationReport,
  ValidationReportError,
  type ControlReport,
} from '@logistics-platform/cdk-iso27001/report';
import { firstProjectFrame } from '../../../packages/cdk-iso27001/src/report/source-location';
import { buildFixtureReport, HANDMADE_REPORT, PLATFORM_REPORT, readJson } from './fixtures';

describe('compliance model: hand-made validation report', () => {
  const report = buildFixtureReport(HANDMADE_REPORT);
  const control = (id: string): ControlReport => {
    const found = report.controls.find((c) => c.id === id);
    if (!found) throw new Error(`no control ${id}`);
    return found;
  };

  test('one finding per rule and resource, acknowledged ones included', () => {
    expect(report.packs.map((p) => [p.pluginName, p.findings.length])).toEqual([
      ['AwsSolutions', 3],
      ['cdk-validator-cfnguard', 2],
      ['ISO.27001.2022', 10],
      ['CloudFormation Validate', 2],
      ['HIPAA.Security', 0],
    ]);
  });

  test('control statuses: findings, not checkable, acknowledged only, pass', () => {
    expect(control('A.8.13').status).toBe('findings'); // open errors and an acknowledgement
    expect(control('A.8.15').status).toBe('findings'); // an ordinary open warning
    expect(control('A.8.21').status).toBe('not-checkable');
    expect(control('A.5.30').status).toBe('acknowledged');
    expect(control('A.8.32').status).toBe('acknowledged');
    expect(control('A.5.15').status).toBe('pass'); // 12 resources evaluated, no finding
    expect(report.annexAEvaluated).toBe(true);
  });

  test('a control whose rules evaluated no resource is not evaluated, never pass', () => {
    expect(control('A.8.16')).toMatchObject({ status: 'not-evaluated', evaluated: 0 });
    expect(control('A.8.16').rules.map((r) => [r.rule, r.evaluated])).toEqual([
      ['CloudWatchAlarmHasAction', 0],
      ['GuardDutyDetectorEnabled', 0],
    ]);
    expect(control('A.5.15').evaluated).toBe(12);
    // without recorded evaluations, nothing passes
    const bare = buildComplianceReport(parseValidationReport(readJson(HANDMADE_REPORT)), {
      controls: [{ id: 'A.5.15', title: 'Access control' }],
    });
    expect(bare.controls[0]).toMatchObject({ status: 'not-evaluated', evaluated: undefined });
  });

  test('every catalogue control is listed in order, and a control outside it is kept', () => {
    expect(report.controls.map((c) => c.id)).toEqual([
      'A.5.15', 'A.5.23', 'A.5.30', 'A.5.33', 'A.8.5', 'A.8.9', 'A.8.10', 'A.8.12', 'A.8.13',
      'A.8.14', 'A.8.15', 'A.8.16', 'A.8.20', 'A.8.21', 'A.8.22', 'A.8.24', 'A.8.31', 'A.8.32',
    ]); // prettier-ignore
    expect(control('A.8.9')).toMatchObject({ inCatalogue: false, status: 'findings' });
    expect(control('A.8.13').title).toBe('Information backup');
  });

  test('cfn-guard [CT...] prefixes are not taken for Annex A controls', () => {
    const guard = report.packs.find((p) => p.pluginName === 'cdk-validator-cfnguard');
    expect(guard?.findings.every((f) => f.control === undefined)).toBe(true);
    expect(report.otherPacks.map((p) => p.pluginName)).toEqual([
      'AwsSolutions',
      'cdk-validator-cfnguard',
      'CloudFormation Validate',
      'HIPAA.Security',
    ]);
  });

  test('resources: stack from the path, template and line from the assembly, source frame', () => {
    const [prod, test] = control('A.8.13').findings.filter((f) => !f.acknowledgement);
    expect(prod.resource).toEqual({
      constructPath: 'prod-apse2-Data/TenantRegistry/Table/Resource',
      stackId: 'prod-apse2-Data',
      constructFqn: 'aws-cdk-lib.aws_dynamodb.CfnTable',
      templatePath: 'prod-apse2-Data.template.json',
      logicalId: 'TenantRegistryTable1A2B3C4D',
      templateLine: 3,
      source: { file: 'lib/constructs/tenant-registry.ts', line: 31, column: 19 },
    });
    expect(test.resource.stackId).toBe('test-apse2-Data');
    expect(test.resource.templatePath).toBeUndefined();
  });

  test('a finding without a construct path gets it from the template metadata', () => {
    const cfn = report.packs.find((p) => p.pluginName === 'CloudFormation Validate');
    const w3011 = cfn?.findings.find((f) => f.ruleId === 'W3011');
    expect(w3011?.resource.constructPath).toBe('prod-apse2-Data/TenantRegistry/Table/Resource');
    expect(w3011?.resource.stackId).toBe('prod-apse2-Data');
    expect(cfn?.findings.find((f) => f.ruleId === 'I3042')?.level).toBe('note');
  });

  test('acknowledgements keep reason, place, and the caller of the acknowledge helper', () => {
    const ack = control('A.5.30').findings[0].acknowledgement;
    expect(ack).toEqual({
      id: 'ISO.27001.2022::ISO.27001.2022-BackupCrossRegionCopy',
      reason: expect.stringContaining('single-region by design'),
      at: 'dev-apse2-Backup/Plan/Resource',
      source: { file: 'lib/constructs/platform-backup.ts', line: 64, column: 7 },
    });
    const noReason = control('A.8.13').findings.find((f) => f.acknowledgement);
    expect(noReason?.acknowledgement?.reason).toBeUndefined();
  });

  test('a plugin that failed to run is reported as failed, not as clean', () => {
    const hipaa = report.packs.find((p) => p.pluginName === 'HIPAA.Security');
    expect(hipaa?.pluginError).toContain('boom');
  });
});

describe('compliance model: the recorded platform report', () => {
  const report = buildFixtureReport(PLATFORM_REPORT);

  test('40 acknowledged findings, nothing open, every one with a reason', () => {
    expect(report.counts).toMatchObject({ openErrors: 0, openWarnings: 0, acknowledged: 40 });
    const all = report.packs.flatMap((p) => p.findings);
    expect(all.every((f) => f.acknowledgement?.reason)).toBe(true);
  });

  test('without an Annex A pack no control is claimed to pass', () => {
    expect(report.annexAEvaluated).toBe(false);
    expect(new Set(report.controls.map((c) => c.status))).toEqual(new Set(['not-evaluated']));
  });
});

describe('parseValidationReport', () => {
  test('tolerates missing optional keys', () => {
    const raw = parseValidationReport({
      version: '55.0.0',
      pluginReports: [
        {
          pluginName: 'p',
          conclusion: 'failure',
          violations: [
            { ruleName: 'r', description: 'd', severity: 'error', violatingConstructs: [{}] },
          ],
        },
      ],
    });
    expect(raw.pluginReports[0].suppressedViolations).toEqual([]);
    const report = buildComplianceReport(raw, { generatedAt: new Date(0) });
    expect(report.packs[0].findings[0].resource).toMatchObject({ constructPath: '' });
    expect(report.controls).toEqual([]); // no catalogue, no control findings
  });

  test("a warning is not checkable by its description or by the ISO pack's rule name", () => {
    const violation = (ruleName: string, description: string, severity = 'warning') => ({
      ruleName,
      description,
      severity,
      violatingConstructs: [{ constructPath: 'S/R' }],
    });
    const raw = parseValidationReport({
      version: '55.0.0',
      pluginReports: [
        {
          pluginName: 'ISO.27001.2022',
          conclusion: 'failure',
          violations: [
            violation(
              'ISO.27001.2022-KmsKeyRotation-NotCheckable[KmsKeyId]',
              '[A.8.24] Key unknown.',
            ),
            violation('ISO.27001.2022-X', '[A.8.24] Not checkable: Fn::ImportValue.'),
            violation('ISO.27001.2022-Y', '[A.8.24] Not checkable, but an error.', 'error'),
            violation('ISO.27001.2022-Z', '[A.8.24] An ordinary warning.'),
          ],
        },
      ],
    });
    const findings = buildComplianceReport(raw).packs[0].findings;
    expect(findings.map((f) => [f.ruleId, f.notCheckable])).toEqual([
      ['ISO.27001.2022-Y', false],
      ['ISO.27001.2022-KmsKeyRotation-NotCheckable[KmsKeyId]', true],
      ['ISO.27001.2022-X', true],
      ['ISO.27001.2022-Z', false],
    ]);
  });

  test.each([
    [null, 'expected a JSON object'],
    [{ version: '1' }, 'report.pluginReports: expected an array'],
    [{ pluginReports: [{ conclusion: 'success' }] }, 'pluginReports[0].pluginName'],
    [
      { pluginReports: [{ pluginName: 'p', violations: [{ description: 'x' }] }] },
      'pluginReports[0].violations[0].ruleName',
    ],
  ])('rejects %j naming where', (json, message) => {
    expect(() => parseValidationReport(json)).toThrow(ValidationReportError);
    expect(() => parseValidationReport(json)).toThrow(message);
  });

  test('the real file parses', () => {
    expect(parseValidationReport(readJson(PLATFORM_REPORT)).pluginReports).toHaveLength(3);
  });
});

describe('firstProjectFrame', () => {
  const trace = [
    '    ...Validations.acknowledge in aws-cdk-lib...',
    '    at acknowledge (/repo/lib/compliance/acknowledge.ts:47:28)',
    '    at Foo.bar (/repo/lib/constructs/foo.ts:10:5)',
  ].join('\n');

  test('skips library frames and the named wrapper', () => {
    expect(firstProjectFrame(trace, '/repo', ['acknowledge'])).toEqual({
      file: 'lib/constructs/foo.ts',
      line: 10,
      column: 5,
    });
  });

  test('frames without "at", node_modules frames, paths outside the root', () => {
    const t = 'x (/repo/node_modules/a/b.js:1:1)\nnew Stack (/elsewhere/s.ts:2:3)';
    expect(firstProjectFrame([t], '/repo')).toEqual({
      file: '/elsewhere/s.ts',
      line: 2,
      column: 3,
    });
    expect(firstProjectFrame(undefined, '/repo')).toBeUndefined();
  });
});

describe('checkedAnnexAControls', () => {
  test('lists the catalogue controls that have rules, with id and title only', () => {
    const controls = checkedAnnexAControls([
      { id: 'A.5.1', title: 'Policies for information security', rules: [] },
      { id: 'A.8.13', title: 'Information backup', rules: ['DynamoDBTableInBackupSelection'] },
    ]);
    expect(controls).toEqual([{ id: 'A.8.13', title: 'Information backup' }]);
  });

  test('the ISO pack catalogue gives controls with titles', () => {
    const controls = checkedAnnexAControls();
    expect(controls.length).toBeGreaterThan(0);
    expect(controls.every((c) => /^A\.\d+\.\d+$/.test(c.id) && c.title.length > 0)).toBe(true);
  });
});
