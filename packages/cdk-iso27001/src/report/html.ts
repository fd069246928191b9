import { REPORT_CSS } from './html-style';
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
import type { ComplianceReport, ControlReport, PackReport } from './model';
import { STATUS_LABELS } from './model';
import { filterBar, stackAttributes } from './html-filter';
import { formatSource } from './source-location';

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const e = escapeHtml;

export function controlAnchor(id: string): string {
  return `control-${id.replace(/[^A-Za-z0-9]+/g, '-')}`;
}

export function packAnchor(name: string): string {
  return `pack-${name.replace(/[^A-Za-z0-9]+/g, '-')}`;
}

function badge(cls: string, text: string): string {
  return `<span class="badge ${cls}">${e(text)}</span>`;
}

interface Column<T> {
  readonly head: string;
  readonly cell: (row: T) => string;
  readonly cls?: string;
}

/** Escaped cell text; paths may break after each '/' rather than inside a name. */
function cellHtml<T>(col: Column<T>, row: T): string {
  const html = e(col.cell(row));
  return col.cls === 'path' ? html.replace(/\//g, '/<wbr>') : html;
}

/** A table of the columns that have a value in at least one row (the first column always shows). */
function table<T>(
  rows: readonly T[],
  columns: readonly Column<T>[],
  stackOf?: (row: T) => string | undefined,
): string {
  const shown = columns.filter((col, i) => i === 0 || rows.some((row) => col.cell(row) !== ''));
  const head = shown.map((col) => `<th>${e(col.head)}</th>`).join('');
  const body = rows.map(
    (row) =>
      `<tr${stackAttributes(stackOf?.(row))}>${shown.map((col) => `<td class="${col.cls ?? ''}">${cellHtml(col, row)}</td>`).join('')}</tr>`,
  );
  return `<table><thead><tr>${head}</tr></thead><tbody>${body.join('')}</tbody></table>`;
}

const NO_PATH = '(no construct path)';

function resourceCells(group: OpenFindingGroup): string {
  return table(
    group.resources,
    [
      { head: 'Resource (construct path)', cls: 'path', cell: (r) => r.constructPath || NO_PATH },
      { head: 'Stack', cls: 'stack', cell: (r) => r.stackId ?? '' },
      { head: 'Template', cls: 'path', cell: (r) => templateRef(r) },
      { head: 'Created at', cls: 'path', cell: (r) => formatSource(r.source) },
    ],
    (r) => r.stackId,
  );
}

function openFinding(group: OpenFindingGroup): string {
  const label = group.notCheckable ? 'not checkable' : group.severity;
  const fix = group.suggestedFix ? `<p><b>Fix:</b> ${e(group.suggestedFix)}</p>` : '';
  const expired = group.expiredAcknowledgement
    ? `<p class="notice">${e(expiredText(group.expiredAcknowledgement))}</p>`
    : '';
  const doc = /^https?:\/\//.test(group.documentationUrl ?? '')
    ? ` <a class="muted" href="${e(group.documentationUrl ?? '')}">documentation</a>`
    : '';
  return (
    `<div class="finding open-${group.level}"><header>${badge(`l-${group.level}`, label)}` +
    `<code>${e(group.ruleId)}</code><span class="muted">${e(group.pluginName)}</span>${doc}` +
    `</header><p>${e(group.description)}</p>${expired}${fix}${resourceCells(group)}</div>`
  );
}

function acknowledgement(group: AcknowledgementGroup): string {
  const reason = group.reason
    ? `<div class="reason"><b>Reason:</b> ${e(group.reason)}</div>`
    : '<div class="reason missing"><b>Reason:</b> none given</div>';
  return (
    `<div class="finding ack"><header>${badge('l-note', 'acknowledged')}` +
    `<code>${e(group.ruleId)}</code><span class="muted">${e(group.pluginName)} · ` +
    `${e(group.severity)}</span></header><p>${e(group.description)}</p>${reason}` +
    table(
      group.entries,
      [
        {
          head: 'Resource (construct path)',
          cls: 'path',
          cell: (x) => x.resource.constructPath || NO_PATH,
        },
        { head: 'Stack', cls: 'stack', cell: (x) => x.resource.stackId ?? '' },
        { head: 'Acknowledged on', cls: 'path', cell: (x) => acknowledgedOn(x) },
        { head: 'Acknowledged in code', cls: 'path', cell: (x) => formatSource(x.source) },
        { head: 'Owner', cell: (x) => x.owner ?? '' },
        { head: 'Expires', cell: (x) => x.expires ?? '' },
      ],
      (x) => x.resource.stackId,
    ) +
    '</div>'
  );
}

function findingsBody(findings: ControlReport['findings'], empty: string): string {
  const open = groupOpenFindings(findings);
  const acks = groupAcknowledgements(findings);
  if (open.length === 0 && acks.length === 0) return `<p class="muted">${e(empty)}</p>`;
  const parts: string[] = [];
  if (open.length) parts.push('<h3>Open findings</h3>', ...open.map(openFinding));
  if (acks.length) parts.push('<h3>Acknowledged findings</h3>', ...acks.map(acknowledgement));
  return parts.join('\n');
}

/** Why a control without findings shows its status. */
export function emptyText(control: ControlReport): string {
  if (control.status === 'pass') {
    return `No findings: ${control.evaluated} resource evaluation(s), every one compliant.`;
  }
  if (control.evaluated === undefined) {
    return 'Not evaluated: no Annex A pack ran, or it recorded no evaluations.';
  }
  return "Not evaluated: no resource in this synth is in scope of the control's rules.";
}

function evidenceTable(control: ControlReport): string {
  if (control.rules.length === 0) return '';
  const rows = control.rules
    .map(
      (r) =>
        `<tr><td><code>${e(r.rule)}</code></td><td>${e(r.level)}</td>${num(r.evaluated)}` +
        `${num(r.compliant)}${num(r.nonCompliant)}${num(r.notCheckable + r.ruleErrors)}</tr>`,
    )
    .join('');
  return (
    '<h3>Evidence: rules that ran</h3><table><thead><tr><th>Rule</th><th>Level</th>' +
    '<th class="num">Resources evaluated</th><th class="num">Compliant</th>' +
    '<th class="num">With findings</th><th class="num">Not checkable</th></tr></thead>' +
    `<tbody>${rows}</tbody></table>`
  );
}

function controlSection(control: ControlReport): string {
  const empty = emptyText(control);
  const note = control.inCatalogue
    ? ''
    : '<p class="notice">A finding names this control, but the controls catalogue does not list it.</p>';
  return (
    `<section id="${controlAnchor(control.id)}"${control.counts.total ? '' : ' class="empty"'}><h2>${e(control.id)} ${e(control.title)} ` +
    `${badge(`s-${control.status}`, STATUS_LABELS[control.status])}</h2>${note}` +
    (control.counts.total ? `<p class="muted">${e(countsText(control.counts))}</p>` : '') +
    `${evidenceTable(control)}${findingsBody(control.findings, empty)}</section>`
  );
}

function packSection(pack: PackReport): string {
  const error = pack.pluginError
    ? `<p class="notice">The plugin failed to run: ${e(pack.pluginError)}</p>`
    : '';
  const preamble = pack.preamble ? `<p>${e(pack.preamble)}</p>` : '';
  return (
    `<section id="${packAnchor(pack.pluginName)}"><h2>Pack: ${e(pack.pluginName)}</h2>` +
    '<p class="muted">Findings of this pack that name no Annex A control.</p>' +
    `${error}${preamble}<p class="muted">${e(countsText(pack.counts))}</p>` +
    `${findingsBody(pack.findings, 'No findings.')}</section>`
  );
}

function num(n: number): string {
  return `<td class="num">${n}</td>`;
}

function packRow(pack: PackReport, report: ComplianceReport): string {
  const linked = report.otherPacks.some((p) => p.pluginName === pack.pluginName);
  const name = linked
    ? `<a href="#${packAnchor(pack.pluginName)}">${e(pack.pluginName)}</a>`
    : e(pack.pluginName);
  const conclusion = pack.pluginError ? 'plugin failed' : pack.conclusion;
  const c = pack.counts;
  const version = report.provenance?.pluginVersions[pack.pluginName] ?? pack.pluginVersion ?? '';
  return (
    `<tr><td>${name}</td><td>${e(version)}</td><td>${e(conclusion)}</td>` +
    `${num(c.openErrors)}${num(c.openWarnings)}${num(c.acknowledged)}</tr>`
  );
}

function controlRow(control: ControlReport): string {
  const c = control.counts;
  return (
    `<tr><td><a href="#${controlAnchor(control.id)}">${e(control.id)}</a></td>` +
    `<td>${e(control.title)}</td><td>${badge(`s-${control.status}`, STATUS_LABELS[control.status])}</td>` +
    `<td class="num">${control.evaluated ?? '—'}</td>${num(c.openErrors)}${num(c.openWarnings)}${num(c.acknowledged)}</tr>`
  );
}

/** Where the report comes from: commit, dirty flag, config and its hash, time. */
export function provenanceLines(report: ComplianceReport): [string, string][] {
  const p = report.provenance;
  if (!p) return [];
  const commit = p.commit
    ? `${p.commit}${p.dirty ? ' (dirty: uncommitted changes in the work tree)' : ' (clean)'}`
    : 'unknown (not a git work tree)';
  return [
    ['Commit', commit],
    ['Config', `${p.config}${p.configSha256 ? ` (sha256 ${p.configSha256})` : ''}`],
    [
      'Plugins',
      Object.entries(p.pluginVersions)
        .map(([n, v]) => `${n} ${v}`)
        .join(', '),
    ],
    ['Built', p.generatedAt],
  ];
}

function total(label: string, value: number): string {
  return `<div class="total"><b>${value}</b>${e(label)}</div>`;
}

/** The open error findings, first thing on the page when a plugin failed the synth. */
function failedFirst(report: ComplianceReport): string {
  const failed = report.packs.filter((p) => p.conclusion === 'failure' || p.pluginError);
  if (failed.length === 0) return '';
  const open = report.packs
    .flatMap((p) => p.findings)
    .filter((f) => !f.acknowledgement && f.level === 'error');
  const rows = open
    .map(
      (f) =>
        `<tr><td>${e(f.pluginName)}</td><td><code>${e(f.ruleId)}</code></td>` +
        `<td class="path">${e(f.resource.constructPath)}</td><td>${e(f.description)}</td></tr>`,
    )
    .join('');
  return (
    `<section id="failed" class="failed"><h2>Synth failed: ${open.length} open error(s)</h2>` +
    `<p class="notice">${e(failed.map((p) => p.pluginName).join(', '))} failed the synth. ` +
    'Fix these findings, or acknowledge one on its resource with a true reason.</p>' +
    '<table><thead><tr><th>Plugin</th><th>Rule</th><th>Resource</th><th>Finding</th></tr></thead>' +
    `<tbody>${rows}</tbody></table></section>`
  );
}

function provenanceTable(report: ComplianceReport): string {
  const lines = provenanceLines(report);
  if (lines.length === 0) return '';
  return (
    '<h2 id="provenance">Provenance</h2><table class="provenance"><tbody>' +
    lines.map(([k, v]) => `<tr><th>${e(k)}</th><td><code>${e(v)}</code></td></tr>`).join('') +
    '</tbody></table>'
  );
}

/** The whole report as one self-contained HTML page. */
export function renderHtml(report: ComplianceReport): string {
  const c = report.counts;
  const head =
    '<th class="num">Open errors</th><th class="num">Open warnings</th><th class="num">Acknowledged</th>';
  const notEvaluated = report.annexAEvaluated
    ? ''
    : '<p class="notice">No Annex A pack (ISO.27001.2022) ran in this synth, so no control can be ' +
      'shown as passing: controls without findings are marked "not evaluated".</p>';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Compliance report: ISO/IEC 27001:2022 Annex A</title>
<style>${REPORT_CSS}</style></head>
<body><main>
<h1>Compliance report: ISO/IEC 27001:2022 Annex A</h1>
<p class="meta">Built ${e(report.generatedAt)} from <code>${e(report.sourceFile)}</code> (${e(report.title)}, schema ${e(report.schemaVersion)}).</p>
<div class="totals">${total('open errors', c.openErrors)}${total('open warnings', c.openWarnings)}${total('not checkable', c.notCheckable)}${total('acknowledged', c.acknowledged)}</div>
${filterBar(report)}
${failedFirst(report)}
${notEvaluated}
${provenanceTable(report)}
<h2 id="summary">Summary</h2>
<h3>Packs</h3>
<table><thead><tr><th>Pack</th><th>Version</th><th>Conclusion</th>${head}</tr></thead>
<tbody>${report.packs.map((p) => packRow(p, report)).join('\n')}</tbody></table>
<h3>Annex A controls</h3>
<table><thead><tr><th>Control</th><th>Title</th><th>Status</th><th class="num">Resources evaluated</th>${head}</tr></thead>
<tbody>${report.controls.map(controlRow).join('\n')}</tbody></table>
${report.controls.map(controlSection).join('\n')}
${report.otherPacks.map(packSection).join('\n')}
</main></body></html>
`;
}
