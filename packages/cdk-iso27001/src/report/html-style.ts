/** Inline stylesheet of report.html: no fonts, images or scripts from anywhere. */
export const REPORT_CSS = `
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg-soft: #f6f8fa;
  --red: #b42318; --red-bg: #fef3f2; --amber: #8a5300; --amber-bg: #fff8e6;
  --green: #116329; --green-bg: #eefbf1; --blue: #0b4f9c; --blue-bg: #eef5ff; --grey-bg: #eef0f2; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); }
main { max-width: 1180px; margin: 0 auto; padding: 24px 32px 64px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 40px 0 8px; padding-top: 12px; border-top: 2px solid var(--line); }
section.empty h2 { margin-top: 20px; }
h3 { font-size: 16px; margin: 20px 0 8px; }
.meta, .muted { color: var(--muted); font-size: 13px; }
code, .path { font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 14px; }
th, td { text-align: left; vertical-align: top; padding: 6px 10px; border-bottom: 1px solid var(--line); }
th { background: var(--bg-soft); font-weight: 600; }
td.stack { white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; width: 7em; }
a { color: var(--blue); text-decoration: none; } a:hover { text-decoration: underline; }
.totals { display: flex; gap: 12px; flex-wrap: wrap; margin: 16px 0; }
.total { border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; min-width: 150px; }
.total b { display: block; font-size: 24px; }
.notice { border-left: 4px solid var(--amber); background: var(--amber-bg); padding: 10px 14px; margin: 16px 0; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.s-pass { color: var(--green); background: var(--green-bg); }
.s-findings, .l-error { color: var(--red); background: var(--red-bg); }
.s-not-checkable, .l-warning { color: var(--amber); background: var(--amber-bg); }
.s-acknowledged, .l-note { color: var(--blue); background: var(--blue-bg); }
.s-not-evaluated { color: var(--muted); background: var(--grey-bg); }
.finding { border: 1px solid var(--line); border-radius: 8px; margin: 12px 0; overflow: hidden; }
.finding > header { background: var(--bg-soft); padding: 8px 12px; display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; }
.finding > p { margin: 8px 12px; }
.finding table { margin: 0; }
.finding.ack { border-left: 4px solid var(--blue); }
.finding.open-error { border-left: 4px solid var(--red); }
.finding.open-warning { border-left: 4px solid var(--amber); }
.reason { margin: 8px 12px; padding: 8px 12px; background: var(--blue-bg); border-radius: 6px; }
.reason.missing { background: var(--red-bg); color: var(--red); }
nav.toc { columns: 2; font-size: 14px; }
@media print { h2 { break-before: page; } .finding { break-inside: avoid; } }
`;
