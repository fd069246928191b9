import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  buildComplianceReport,
  parseValidationReport,
  renderHtml,
  renderMarkdown,
} from '@logistics-platform/cdk-iso27001/report';
import { withBuiltInValidation } from '../../../packages/cdk-iso27001/src/report/cli';
import {
  canonicalJson,
  collectProvenance,
} from '../../../packages/cdk-iso27001/src/report/provenance';
import { GENERATED_AT, HANDMADE_REPORT, PLATFORM_REPORT, readJson, REPO_ROOT } from './fixtures';

describe('report provenance', () => {
  const provenance = collectProvenance({
    cwd: REPO_ROOT,
    plugins: [{ name: 'AwsSolutions' }, { name: 'ISO.27001.2022', version: '0.2.0' }],
    configFile: 'config/platform.example.json',
    config: { b: 1, a: [2, { d: 3, c: 4 }] },
    now: GENERATED_AT,
  });

  it('states the commit, dirty flag, config file and hash, plugin versions and time', () => {
    expect(provenance.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(typeof provenance.dirty).toBe('boolean');
    expect(provenance.config).toBe('config/platform.example.json');
    expect(provenance.configSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(provenance.pluginVersions).toEqual({
      AwsSolutions: expect.stringMatching(/^cdk-nag@\d+\.\d+\.\d+/),
      'ISO.27001.2022': '0.2.0',
    });
    expect(provenance.generatedAt).toBe('2026-01-02T03:04:05.000Z');
  });

  it('hashes the config independent of key order', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe(
      canonicalJson({ a: { c: 3, d: 2 }, b: 1 }),
    );
  });

  it('renders in the HTML and the Markdown, with plugin versions in the pack table', () => {
    const report = buildComplianceReport(parseValidationReport(readJson(HANDMADE_REPORT)), {
      provenance,
      generatedAt: GENERATED_AT,
    });
    const html = renderHtml(report);
    expect(html).toContain('<h2 id="provenance">Provenance</h2>');
    expect(html).toContain(provenance.commit);
    expect(html).toContain(`sha256 ${provenance.configSha256}`);
    expect(renderMarkdown(report)).toMatch(/- \*\*Commit:\*\* `[0-9a-f]{40} \((clean|dirty)/);
  });
});

describe('a failed synth', () => {
  it('puts the open errors first', () => {
    const report = buildComplianceReport(parseValidationReport(readJson(HANDMADE_REPORT)), {
      generatedAt: GENERATED_AT,
    });
    const html = renderHtml(report);
    const failed = html.indexOf('<section id="failed"');
    expect(failed).toBeGreaterThan(0);
    expect(failed).toBeLessThan(html.indexOf('id="summary"'));
    expect(html).toMatch(/Synth failed: \d+ open error\(s\)/);
    expect(renderMarkdown(report)).toMatch(/## Synth failed: \d+ open error\(s\)[\s\S]*## Summary/);
  });
});

describe('the built-in CloudFormation validation', () => {
  it('is listed when cdk.json turns it on, even when it found nothing', () => {
    const raw = parseValidationReport(readJson(PLATFORM_REPORT));
    expect(raw.pluginReports.map((p) => p.pluginName)).not.toContain('CloudFormation Validate');
    const listed = withBuiltInValidation(raw, REPO_ROOT);
    expect(listed.pluginReports.map((p) => p.pluginName)).toContain('CloudFormation Validate');
    const off = fs.mkdtempSync(path.join(os.tmpdir(), 'no-cdk-json-'));
    expect(withBuiltInValidation(raw, off).pluginReports).toHaveLength(raw.pluginReports.length);
  });
});

describe('the HTML filter', () => {
  it('offers every environment, region and stack of the findings', () => {
    const report = buildComplianceReport(parseValidationReport(readJson(PLATFORM_REPORT)), {
      generatedAt: GENERATED_AT,
    });
    const html = renderHtml(report);
    const stacks = new Set(report.packs.flatMap((p) => p.findings.map((f) => f.resource.stackId)));
    expect(stacks.size).toBeGreaterThan(1);
    for (const stack of stacks) expect(html).toContain(`id="f-stack-${stack}"`);
    expect(html).toContain('id="f-env-prod"');
    expect(html).toContain('id="f-region-apse2"');
    expect(html).toContain(
      'body:has(#f-env-prod:checked) tr[data-stack]:not([data-env="prod"]) { display: none; }',
    );
    expect(html).toMatch(
      /<tr data-stack="prod-apse2-Network" data-env="prod" data-region="apse2">/,
    );
  });
});
