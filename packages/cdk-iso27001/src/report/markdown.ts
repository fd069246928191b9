import {
  acknowledgedOn,
  expiredText,
  groupAcknowledgements,
  groupOpenFindings,
  templateRef,
  type AcknowledgementGroup,
  type OpenFindingGroup,
} from './groups';
import { countsText } from './counts-text';
import type { ComplianceReport, ControlReport, Finding, PackReport } from './model';
import { STATUS_LABELS } from './model';
import { emptyText, provenanceLines } from './html';
import { formatSource } from './source-location';

/**
 * Escape inline text for Markdown (GitHub flavoured): inline HTML is neutralised as entities,
 * and characters that start emphasis, links, code or table cells are backslash-escaped.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r?\n/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~])/g, '\\$1');
}

/** Escape text that starts a line: also a leading heading, list, quote or rule marker. */
export function escapeMarkdownParagraph(text: string): string {
  return escapeMarkdown(text)
    .replace(/^(\s*)([#+\-=])/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/, '$1\\$2');
}

const m = escapeMarkdown;
const paragraph = escapeMarkdownParagraph;

/** A code span that survives backticks, pipes (in tables) and newlines in its content. */
export function codeSpan(text: string): string {
  if (!text) return '';
  const flat = text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

interface Column<T> {
  readonly head: string;
  /** Already escaped Markdown. */
  readonly cell: (row: T) => string;
}

/** A table of the columns that have a value in at least one row (the first column always shows). */
function table<T>(rows: readonly T[], columns: readonly Column<T>[]): string[] {
  const shown = columns.filter((col, i) => i === 0 || rows.some((row) => col.cell(row) !== ''));
  return [
    `| ${shown.map((col) => col.head).join(' | ')} |`,
    `|${shown.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${shown.map((col) => col.cell(row)).join(' | ')} |`),
  ];
}

const NO_PATH = '(no construct path)';

function openGroup(group: OpenFindingGroup): string[] {
  const label = group.notCheckable ? 'not checkable' : group.severity;
  return [
    `#### ${m(label.toUpperCase())} ${codeSpan(group.ruleId)} (${m(group.pluginName)})`,
    '',
    paragraph(group.description),
    '',
    ...(group.expiredAcknowledgement
      ? [`> **${m(expiredText(group.expiredAcknowledgement))}**`, '']
      : []),
    ...(group.suggestedFix ? [`Fix: ${m(group.suggestedFix)}`, ''] : []),
    ...table(group.resources, [
      { head: 'Resource (construct path)', cell: (r) => codeSpan(r.constructPath) || NO_PATH },
      { head: 'Stack', cell: (r) => m(r.stackId ?? '') },
      { head: 'Template', cell: (r) => codeSpan(templateRef(r)) },
      { head: 'Created at', cell: (r) => codeSpan(formatSource(r.source)) },
    ]),
    '',
  ];
}

function acknowledgementGroup(group: AcknowledgementGroup): string[] {
  return [
    `#### ACKNOWLEDGED ${codeSpan(group.ruleId)} (${m(group.pluginName)}, ${m(group.severity)})`,
    '',
    paragraph(group.description),
    '',
    group.reason ? `> **Reason:** ${m(group.reason)}` : '> **Reason:** none given',
    '',
    ...table(group.entries, [
      {
        head: 'Resource (construct path)',
        cell: (x) => codeSpan(x.resource.constructPath) || NO_PATH,
      },
      { head: 'Stack', cell: (x) => m(x.resource.stackId ?? '') },
      {
        head: 'Acknowledged on',
        cell: (x) => (acknowledgedOn(x) === x.at ? codeSpan(x.at) : acknowledgedOn(x)),
      },
      { head: 'Acknowledged in code', cell: (x) => codeSpan(formatSource(x.source)) },
      { head: 'Owner', cell: (x) => m(x.owner ?? '') },
      { head: 'Expires', cell: (x) => m(x.expires ?? '') },
    ]),
    '',
  ];
}

function findingsBody(findings: readonly Finding[], empty: string): string[] {
  const open = groupOpenFindings(findings);
  const acks = groupAcknowledgements(findings);
  if (open.length === 0 && acks.length === 0) return [`_${empty}_`, ''];
  const lines: string[] = [];
  if (open.length) lines.push('### Open findings', '', ...open.flatMap(openGroup));
  if (acks.length) {
    lines.push('### Acknowledged findings', '', ...acks.flatMap(acknowledgementGroup));
  }
  return lines;
}

function evidenceLines(control: ControlReport): string[] {
  if (control.rules.length === 0) return [];
  return [
    '### Evidence: rules that ran',
    '',
    '| Rule | Level | Resources evaluated | Compliant | With findings | Not checkable |',
    '|---|---|--:|--:|--:|--:|',
    ...control.rules.map(
      (r) =>
        `| ${codeSpan(r.rule)} | ${r.level} | ${r.evaluated} | ${r.compliant} | ` +
        `${r.nonCompliant} | ${r.notCheckable + r.ruleErrors} |`,
    ),
    '',
  ];
}

function controlSection(control: ControlReport): string[] {
  const empty = emptyText(control);
  return [
    `## ${m(control.id)} ${m(control.title)}: ${STATUS_LABELS[control.status]}`,
    '',
    ...(control.inCatalogue
      ? []
      : ['A finding names this control, but the controls catalogue does not list it.', '']),
    ...(control.counts.total ? [countsText(control.counts), ''] : []),
    ...evidenceLines(control),
    ...findingsBody(control.findings, empty),
  ];
}

function packSection(pack: PackReport): string[] {
  return [
    `## Pack: ${m(pack.pluginName)}`,
    '',
    '_Findings of this pack that name no Annex A control._',
    '',
    ...(pack.pluginError ? [`**The plugin failed to run:** ${m(pack.pluginError)}`, ''] : []),
    ...(pack.preamble ? [paragraph(pack.preamble), ''] : []),
    countsText(pack.counts),
    '',
    ...findingsBody(pack.findings, 'No findings.'),
  ];
}

/** The report as GitHub-flavoured Markdown, with the same content as the HTML page. */
export function renderMarkdown(report: ComplianceReport): string {
  const c = report.counts;
  const lines = [
    '# Compliance report: ISO/IEC 27001:2022 Annex A',
    '',
    `Built ${m(report.generatedAt)} from ${codeSpan(report.sourceFile)} ` +
      `(${m(report.title)}, schema ${m(report.schemaVersion)}).`,
    '',
    `**Totals:** ${c.openErrors} open errors, ${c.openWarnings} open warnings ` +
      `(${c.notCheckable} not checkable), ${c.acknowledged} acknowledged.`,
    '',
  ];
  if (!report.annexAEvaluated) {
    lines.push(
      '> No Annex A pack (ISO.27001.2022) ran in this synth, so no control can be shown as ' +
        'passing: controls without findings are marked "not evaluated".',
      '',
    );
  }
  const failed = report.packs.filter((p) => p.conclusion === 'failure' || p.pluginError);
  if (failed.length > 0) {
    const open = report.packs
      .flatMap((p) => p.findings)
      .filter((f) => !f.acknowledgement && f.level === 'error');
    lines.push(
      `## Synth failed: ${open.length} open error(s)`,
      '',
      `${m(failed.map((p) => p.pluginName).join(', '))} failed the synth.`,
      '',
      '| Plugin | Rule | Resource |',
      '|---|---|---|',
      ...open.map(
        (f) =>
          `| ${m(f.pluginName)} | ${codeSpan(f.ruleId)} | ${codeSpan(f.resource.constructPath)} |`,
      ),
      '',
    );
  }
  const provenance = provenanceLines(report);
  if (provenance.length > 0) {
    lines.push(
      '## Provenance',
      '',
      ...provenance.map(([k, v]) => `- **${k}:** ${codeSpan(v)}`),
      '',
    );
  }
  lines.push(
    '## Summary',
    '',
    '### Packs',
    '',
    '| Pack | Version | Conclusion | Open errors | Open warnings | Acknowledged |',
    '|---|---|---|--:|--:|--:|',
    ...report.packs.map(
      (p) =>
        `| ${m(p.pluginName)} | ${m(report.provenance?.pluginVersions[p.pluginName] ?? p.pluginVersion ?? '')} | ` +
        `${p.pluginError ? 'plugin failed' : m(p.conclusion)} | ${p.counts.openErrors} | ` +
        `${p.counts.openWarnings} | ${p.counts.acknowledged} |`,
    ),
    '',
    '### Annex A controls',
    '',
    '| Control | Title | Status | Resources evaluated | Open errors | Open warnings | Acknowledged |',
    '|---|---|---|--:|--:|--:|--:|',
    ...report.controls.map(
      (ctl) =>
        `| ${m(ctl.id)} | ${m(ctl.title)} | ${STATUS_LABELS[ctl.status]} | ${ctl.evaluated ?? '—'} | ` +
        `${ctl.counts.openErrors} | ${ctl.counts.openWarnings} | ${ctl.counts.acknowledged} |`,
    ),
    '',
    ...report.controls.flatMap(controlSection),
    ...report.otherPacks.flatMap(packSection),
  );
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
