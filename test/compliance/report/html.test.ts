import { escapeHtml, renderHtml } from '@logistics-platform/cdk-iso27001/report';
import { controlAnchor, packAnchor } from '../../../packages/cdk-iso27001/src/report/html';
import { buildFixtureReport, HANDMADE_REPORT, htmlSection, PLATFORM_REPORT } from './fixtures';

/** Paths in table cells may break after each '/'. */
const htmlPath = (p: string) => escapeHtml(p).split('/').join('/<wbr>');

describe('report.html on the hand-made report', () => {
  const report = buildFixtureReport(HANDMADE_REPORT);
  const html = renderHtml(report);

  test('is self-contained: no scripts, stylesheets, images or fonts from anywhere', () => {
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\ssrc=|@import|url\(/i);
  });

  test('escapes HTML in descriptions and rule ids', () => {
    expect(html).not.toContain('<script>alert');
    expect(html).toContain(
      'grants &lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt; to principal',
    );
    expect(html).toContain(
      'AwsSolutions-IAM5[Resource::&lt;NetworkFlowLogGroup4F8CEEEF.Arn&gt;:*]',
    );
  });

  test('the summary lists every pack and every control with its status', () => {
    const start = html.indexOf('id="summary"');
    const summary = html.slice(start, html.indexOf('<section', start));
    for (const pack of report.packs) expect(summary).toContain(escapeHtml(pack.pluginName));
    for (const control of report.controls) {
      expect(summary).toContain(`href="#${controlAnchor(control.id)}">${control.id}</a>`);
    }
    expect(summary).toMatch(
      /A\.8\.21<\/a><\/td><td>Security of network services<\/td><td><span class="badge s-not-checkable">not checkable/,
    );
    expect(summary).toContain('plugin failed');
  });

  test('each control has a section with its status, findings and acknowledgements', () => {
    for (const control of report.controls) {
      const section = htmlSection(html, controlAnchor(control.id));
      expect(section).toContain(`<h2>${control.id} ${escapeHtml(control.title)}`);
      for (const finding of control.findings) {
        expect(section).toContain(escapeHtml(finding.ruleId));
        expect(section).toContain(htmlPath(finding.resource.constructPath));
        if (finding.acknowledgement?.reason) {
          expect(section).toContain(escapeHtml(finding.acknowledgement.reason));
        }
      }
    }
    expect(htmlSection(html, controlAnchor('A.5.15'))).toContain(
      'No findings: 12 resource evaluation(s), every one compliant.',
    );
    expect(htmlSection(html, controlAnchor('A.5.15'))).toContain('Evidence: rules that ran');
    expect(htmlSection(html, controlAnchor('A.8.16'))).toContain(
      'no resource in this synth is in scope of the control&#39;s rules',
    );
    expect(htmlSection(html, controlAnchor('A.8.13'))).toContain('prod-apse2-Data.template.json:3');
    expect(htmlSection(html, controlAnchor('A.8.13'))).toContain('Reason:</b> none given');
  });

  test('findings of packs without Annex A controls are in a section per pack', () => {
    for (const pack of report.otherPacks) {
      const section = htmlSection(html, packAnchor(pack.pluginName));
      for (const finding of pack.findings) {
        expect(section).toContain(escapeHtml(finding.ruleId));
        expect(section).toContain(htmlPath(finding.resource.constructPath));
        if (finding.acknowledgement?.reason) {
          expect(section).toContain(escapeHtml(finding.acknowledgement.reason));
        }
      }
    }
    expect(htmlSection(html, packAnchor('HIPAA.Security'))).toContain('failed to run');
    expect(html).not.toContain(`id="${packAnchor('ISO.27001.2022')}"`);
  });
});

describe('report.html on the recorded platform report', () => {
  const report = buildFixtureReport(PLATFORM_REPORT);
  const html = renderHtml(report);

  test('says no Annex A pack ran and shows every acknowledgement with its reason and place', () => {
    expect(html).toContain('No Annex A pack (ISO.27001.2022) ran');
    const findings = report.packs.flatMap((p) => p.findings);
    for (const finding of findings) {
      const section = htmlSection(html, packAnchor(finding.pluginName));
      expect(section).toContain(escapeHtml(finding.acknowledgement?.reason ?? 'missing'));
      expect(section).toContain(htmlPath(finding.resource.constructPath));
    }
    expect(html).toContain(htmlPath('lib/constructs/platform-network.ts:115'));
    expect(html).toContain('<td class="path">this resource</td>');
  });
});

test('escapeHtml escapes the five characters', () => {
  expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
    '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
  );
});
