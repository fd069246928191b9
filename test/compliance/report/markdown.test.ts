import { escapeMarkdown, renderMarkdown } from '@logistics-platform/cdk-iso27001/report';
import {
  codeSpan,
  escapeMarkdownParagraph,
} from '../../../packages/cdk-iso27001/src/report/markdown';
import { STATUS_LABELS } from '../../../packages/cdk-iso27001/src/report/model';
import { buildFixtureReport, HANDMADE_REPORT, markdownSection, PLATFORM_REPORT } from './fixtures';

describe('report.md on the hand-made report', () => {
  const report = buildFixtureReport(HANDMADE_REPORT);
  const md = renderMarkdown(report);

  test('summary tables list every pack and control with its status', () => {
    const summary = markdownSection(md, 'Summary');
    for (const pack of report.packs)
      expect(summary).toContain(`| ${escapeMarkdown(pack.pluginName)} |`);
    for (const c of report.controls) {
      expect(summary).toContain(`| ${c.id} | ${c.title} | ${STATUS_LABELS[c.status]} |`);
    }
  });

  test('each control has a section with its findings and acknowledgement reasons', () => {
    for (const control of report.controls) {
      const section = markdownSection(md, `${control.id} `);
      expect(section).toContain(
        `## ${control.id} ${control.title}: ${STATUS_LABELS[control.status]}`,
      );
      for (const finding of control.findings) {
        expect(section).toContain(codeSpan(finding.ruleId));
        expect(section).toContain(codeSpan(finding.resource.constructPath));
        if (finding.acknowledgement?.reason) {
          expect(section).toContain(escapeMarkdown(finding.acknowledgement.reason));
        }
      }
    }
    expect(markdownSection(md, 'A.8.13 ')).toContain('> **Reason:** none given');
  });

  test('pack sections carry the findings that name no control', () => {
    for (const pack of report.otherPacks) {
      const section = markdownSection(md, `Pack: ${escapeMarkdown(pack.pluginName)}`);
      for (const finding of pack.findings) {
        expect(section).toContain(codeSpan(finding.ruleId));
        expect(section).toContain(codeSpan(finding.resource.constructPath));
      }
    }
  });

  test('neutralises HTML and table-breaking characters', () => {
    expect(md).not.toContain('<script>');
    expect(md).toContain(
      '&lt;script&gt;alert("xss")&lt;/script&gt; to principal "\\*" &amp; is not TLS-only \\| see policy',
    );
    // the acknowledgement row keeps its four columns
    const rows = md
      .split('\n')
      .filter((l) => l.startsWith('| `prod-apse2-Network/Network/FlowLogPolicy'));
    expect(rows).toHaveLength(1);
    expect(rows[0].replace(/\\\|/g, '').split('|')).toHaveLength(6);
  });
});

test('report.md on the recorded platform report lists all 40 acknowledgements', () => {
  const report = buildFixtureReport(PLATFORM_REPORT);
  const md = renderMarkdown(report);
  const rows = md.split('\n').filter((l) => /^\| `[a-z]+-apse\d-Network\//.test(l));
  expect(rows).toHaveLength(40);
  expect(md).toContain('_Not evaluated: no Annex A pack ran, or it recorded no evaluations._');
});

describe('Markdown escaping', () => {
  test('escapeMarkdown', () => {
    expect(escapeMarkdown('a|b *c* _d_ [e](f) <g> & `h`')).toBe(
      'a\\|b \\*c\\* \\_d\\_ \\[e\\](f) &lt;g&gt; &amp; \\`h\\`',
    );
    expect(escapeMarkdown('schema 55.0.0')).toBe('schema 55.0.0');
  });

  test('a paragraph that looks like a heading or list stays text', () => {
    expect(escapeMarkdownParagraph('# not a heading')).toBe('\\# not a heading');
    expect(escapeMarkdownParagraph('1. not a list')).toBe('1\\. not a list');
  });

  test('codeSpan survives backticks and pipes', () => {
    expect(codeSpan('a`b|c')).toBe('``a`b\\|c``');
    expect(codeSpan('')).toBe('');
  });
});
