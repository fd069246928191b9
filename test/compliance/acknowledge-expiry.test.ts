import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import {
  acknowledge,
  EXPIRED_ACKNOWLEDGEMENT,
  parseAcknowledgementReason,
} from '../../lib/compliance/acknowledge';
import { Iso27001Checks } from '@logistics-platform/cdk-iso27001';
import { synthWithComplianceReport } from '@logistics-platform/cdk-iso27001/report';
import { testApp } from '../support/app';
import { PRIMARY, PROD_ACCOUNT } from './iso27001/rules/rule-harness';

const REASON =
  'Audit log group: kept forever on purpose under the records retention schedule (A.5.33).';
const RULE = 'ISO.27001.2022-LogGroupRetentionBounded';

/** One log group kept forever (one ISO finding), acknowledged with `expires`, synthesized. */
function synth(expires: string, now: Date) {
  const outdir = mkdtempSync(join(tmpdir(), 'ack-expiry-'));
  const app = testApp({ outdir, context: { '@aws-cdk/core:validateAgainstDefaultRules': false } });
  const stack = new Stack(app, 'Acked', {
    env: { account: PROD_ACCOUNT, region: PRIMARY },
    terminationProtection: true,
  });
  const group = new logs.LogGroup(stack, 'Forever', {
    retention: logs.RetentionDays.INFINITE,
    encryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }),
  });
  acknowledge(group, 'ISO.27001.2022', RULE, REASON, {
    owner: 'platform-security',
    expires,
    now,
  });
  Validations.of(app).addPlugins(new Iso27001Checks(app, { requiredTags: [] }));
  let error: Error | undefined;
  try {
    synthWithComplianceReport(app, { provenance: false, now, cwd: outdir, stdout: () => {} });
  } catch (e) {
    error = e as Error;
  }
  const read = (file: string) => readFileSync(join(outdir, 'compliance', file), 'utf8');
  return { error, group, read };
}

describe('acknowledgement owner and expiry', () => {
  it('records owner and expiry with the reason, and the report reads them back', () => {
    const { error, read } = synth('2027-03-31', new Date('2027-03-31T23:59:00Z'));
    expect(error).toBeUndefined(); // the last day still holds
    const md = read('report.md');
    expect(md).toContain('| Owner | Expires |');
    expect(md).toMatch(/\| platform-security \| 2027-03-31 \|/);
    // the reason shown is the compensating control alone
    expect(md).toContain(`> **Reason:** ${REASON.replace(/\./g, '.')}`);
  });

  it('an expired acknowledgement suppresses nothing: synth fails, the report shows it open', () => {
    const { error, read } = synth('2027-03-31', new Date('2027-04-01T00:00:00Z'));
    expect(error?.message).toMatch(new RegExp(RULE));
    // the report is written although the synth failed, with the open error first
    const html = read('report.html');
    expect(html.indexOf('Synth failed: 1 open error(s)')).toBeGreaterThan(0);
    expect(html.indexOf('Synth failed')).toBeLessThan(html.indexOf('id="summary"'));
    expect(html).toContain(
      `Acknowledgement of ISO.27001.2022::${RULE} expired on 2027-03-31 (owner: platform-security): the finding is open again.`,
    );
    const summary = JSON.parse(read('summary.json')) as {
      overall: { openErrors: number; acknowledged: number };
      expiredAcknowledgements: number;
    };
    expect(summary).toMatchObject({
      overall: { openErrors: 1, acknowledged: 0 },
      expiredAcknowledgements: 1,
    });
    const uploaded = JSON.parse(read('report.sarif')) as {
      runs: { tool: { driver: { name: string } }; results: { ruleId: string }[] }[];
    };
    const iso = uploaded.runs.find((r) => r.tool.driver.name === 'ISO.27001.2022');
    expect(iso?.results.map((r) => r.ruleId)).toEqual([RULE]);
  });

  it('leaves a warning on the resource naming the expired acknowledgement', () => {
    const { group } = synth('2020-01-01', new Date('2026-12-01T00:00:00Z'));
    const resource = group.node.defaultChild!;
    expect(resource.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules')).toEqual(
      [],
    );
    const warnings = resource.node.metadata.filter((m) => m.type === 'aws:cdk:warning');
    expect(warnings.map((w) => String(w.data))).toEqual([
      expect.stringContaining(`expired on 2020-01-01 (owner: platform-security)`),
    ]);
    expect(String(warnings[0].data)).toContain(`[ack: ${EXPIRED_ACKNOWLEDGEMENT}]`);
  });

  it('refuses a malformed expiry or an empty owner, naming the field', () => {
    const stack = new Stack(testApp(), 'Bad');
    const group = new logs.LogGroup(stack, 'Logs');
    expect(() =>
      acknowledge(group, 'ISO.27001.2022', RULE, REASON, { expires: '31/03/2027' }),
    ).toThrow(/expires must be a date YYYY-MM-DD \(UTC\), got '31\/03\/2027'/);
    expect(() =>
      acknowledge(group, 'ISO.27001.2022', RULE, REASON, { expires: '2027-02-30' }),
    ).toThrow(/expires must be a date/);
    expect(() => acknowledge(group, 'ISO.27001.2022', RULE, REASON, { owner: ' ' })).toThrow(
      /owner is empty/,
    );
  });

  it('parses a recorded reason, and leaves a reason without brackets as it is', () => {
    expect(parseAcknowledgementReason(`${REASON} [owner: ops] [expires: 2027-01-31]`)).toEqual({
      reason: REASON,
      owner: 'ops',
      expires: '2027-01-31',
    });
    expect(parseAcknowledgementReason(REASON)).toEqual({ reason: REASON });
  });
});
