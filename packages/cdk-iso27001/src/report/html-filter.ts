import type { ComplianceReport } from './model';

/** Environment and region of a stack id `<env>-<regionShort>-<Component>`, where it has that shape. */
export function stackParts(stackId: string): { env?: string; region?: string } {
  const parts = stackId.split('-');
  return parts.length >= 3 ? { env: parts[0], region: parts[1] } : {};
}

/** A CSS-safe token for a value (ids and attribute values). */
function token(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** `data-*` attributes of a finding row, for the filter. */
export function stackAttributes(stackId: string | undefined): string {
  if (!stackId) return '';
  const { env, region } = stackParts(stackId);
  return (
    ` data-stack="${token(stackId)}"` +
    (env ? ` data-env="${token(env)}"` : '') +
    (region ? ` data-region="${token(region)}"` : '')
  );
}

function group(
  kind: string,
  label: string,
  values: readonly string[],
): { html: string; css: string } {
  const unique = [...new Set(values)].sort();
  const radio = (id: string, text: string, checked: boolean) =>
    `<input type="radio" name="f-${kind}" id="${id}"${checked ? ' checked' : ''}><label for="${id}">${text}</label>`;
  const html =
    `<span class="filter"><b>${label}:</b> ${radio(`f-${kind}-all`, 'all', true)}` +
    unique.map((v) => radio(`f-${kind}-${token(v)}`, v, false)).join('') +
    '</span>';
  const css = unique
    .map(
      (v) =>
        `body:has(#f-${kind}-${token(v)}:checked) tr[data-stack]:not([data-${kind}="${token(v)}"]) { display: none; }`,
    )
    .join('\n');
  return { html, css };
}

/**
 * A filter bar over every finding and acknowledgement row, by environment, region and stack (from
 * the stack id), in CSS only (`:has`), so the page stays one file without scripts. Rows without a
 * stack are always shown.
 */
export function filterBar(report: ComplianceReport): string {
  const stacks = report.packs
    .flatMap((p) => p.findings)
    .map((f) => f.resource.stackId)
    .filter((s): s is string => !!s);
  if (stacks.length === 0) return '';
  const groups = [
    group('env', 'Environment', stacks.map((s) => stackParts(s).env ?? '').filter(Boolean)),
    group('region', 'Region', stacks.map((s) => stackParts(s).region ?? '').filter(Boolean)),
    group('stack', 'Stack', stacks),
  ];
  return (
    `<style>${groups.map((g) => g.css).join('\n')}</style>` +
    `<div class="filters" id="filters">${groups.map((g) => g.html).join('<br>')}</div>`
  );
}
