import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthesizeDefaultPlatform } from '../support/cloud-assembly';

interface Violation {
  ruleName: string;
  severity: string;
  violatingConstructs: { constructPath: string }[];
  reason?: string;
  acknowledgedAt?: string;
}
interface Report {
  pluginReports: {
    pluginName: string;
    conclusion: string;
    violations: Violation[];
    suppressedViolations?: Violation[];
  }[];
}

const synth = synthesizeDefaultPlatform();
const report = JSON.parse(
  readFileSync(join(synth.dir, 'validation-report.json'), 'utf8'),
) as Report;

test('the default platform synthesizes with every validator', () => {
  expect(synth.output).not.toMatch(/Validation failed|Synthesis finished with errors/);
  expect(synth.succeeded).toBe(true);
  const plugins = report.pluginReports.map((p) => p.pluginName);
  expect(plugins).toEqual(
    expect.arrayContaining(['AwsSolutions', 'NIST.800.53.R5', 'cdk-validator-cfnguard']),
  );
});

test('no validator leaves an unacknowledged finding, error or warning', () => {
  const open = report.pluginReports.flatMap((p) =>
    p.violations.flatMap((v) =>
      v.violatingConstructs.map(
        (c) => `${p.pluginName} ${v.severity} ${v.ruleName} ${c.constructPath}`,
      ),
    ),
  );
  expect(open).toEqual([]);
  for (const plugin of report.pluginReports) expect(plugin.conclusion).toBe('success');
});

test('every acknowledgement sits on one resource and names one finding with a reason', () => {
  const acknowledged = report.pluginReports.flatMap((p) => p.suppressedViolations ?? []);
  expect(acknowledged.length).toBeGreaterThan(0);
  for (const ack of acknowledged) {
    expect(ack.reason?.length).toBeGreaterThanOrEqual(60);
    // Acknowledged on the CloudFormation resource itself, never a stack or a subtree.
    expect(ack.violatingConstructs).toHaveLength(1);
    expect(ack.acknowledgedAt).toBe(ack.violatingConstructs[0].constructPath);
    expect(ack.acknowledgedAt?.split('/').length).toBeGreaterThan(2);
  }
});
