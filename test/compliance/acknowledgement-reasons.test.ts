import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAcknowledgementReason } from '../../packages/cdk-iso27001/src/acknowledge';
import { ROOT, synthesizeDefaultPlatform } from '../support/cloud-assembly';

/**
 * The acknowledgements of the default platform as a reviewer reads them in the report: each
 * reason states a control (not a placeholder), each finding is acknowledged once on its resource
 * (a second acknowledgement of the same id silently replaces the first reason in the report), and
 * every distinct reason has been reviewed against the templates in
 * docs/compliance/acknowledgements-review.md, which lists no reason the platform no longer makes.
 */

interface Report {
  pluginReports: {
    suppressedViolations?: { acknowledgedId: string; acknowledgedAt: string; reason: string }[];
  }[];
}
type StackMetadata = Record<string, { type: string; data: unknown }[]>;

const REVIEW = join(ROOT, 'docs', 'compliance', 'acknowledgements-review.md');
/** Reasons that dismiss a finding instead of stating what compensates for it. */
const PLACEHOLDER =
  /^(n\/?a|none|todo|tbd|fixme|ok|false positive|not applicable|accepted( risk)?|suppressed?|ignored?|by design|intentional|see (code|above|below)|wontfix|won't fix)\b/i;
const MIN_REASON = 60;

let dir: string;
let suppressed: { id: string; at: string; reason: string }[];

beforeAll(() => {
  const synth = synthesizeDefaultPlatform();
  if (!synth.succeeded)
    throw new Error(`the default platform did not synthesize:\n${synth.output}`);
  dir = synth.dir;
  const report = JSON.parse(readFileSync(join(dir, 'validation-report.json'), 'utf8')) as Report;
  suppressed = report.pluginReports.flatMap((p) =>
    (p.suppressedViolations ?? []).map((s) => ({
      id: s.acknowledgedId,
      at: s.acknowledgedAt,
      reason: parseAcknowledgementReason(s.reason).reason,
    })),
  );
});

test('every acknowledged finding in the report has a reason that states a control', () => {
  expect(suppressed.length).toBeGreaterThan(300);
  const weak = suppressed
    .filter(({ reason }) => reason.length < MIN_REASON || PLACEHOLDER.test(reason))
    .map(({ id, at, reason }) => `${id} on ${at}: '${reason}'`);
  expect(weak).toEqual([]);
});

test('no finding is acknowledged twice on one resource', () => {
  const seen = new Map<string, number>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.metadata.json'))) {
    const metadata = JSON.parse(readFileSync(join(dir, file), 'utf8')) as StackMetadata;
    for (const [path, entries] of Object.entries(metadata)) {
      for (const entry of entries.filter((e) => e.type === 'aws:cdk:acknowledged-rules')) {
        for (const id of Object.keys(entry.data as Record<string, string>)) {
          const key = `${id} on ${path}`;
          seen.set(key, (seen.get(key) ?? 0) + 1);
        }
      }
    }
  }
  expect(seen.size).toBeGreaterThan(300);
  const twice = [...seen]
    .filter(([, count]) => count > 1)
    .map(([key, count]) => `${key} ×${count}`);
  expect(twice).toEqual([]);
});

test('every distinct reason is in the review, and the review lists only reasons the platform makes', () => {
  // Table rows: | <n> | `<reason>` | ... |
  const reviewed = new Set(
    readFileSync(REVIEW, 'utf8')
      .split('\n')
      .map((line) => /^\|\s*\d+\s*\|\s*`([^`]+)`\s*\|/.exec(line)?.[1])
      .filter((reason): reason is string => reason !== undefined),
  );
  const made = new Set(suppressed.map((s) => s.reason));
  expect(reviewed.size).toBeGreaterThan(50);
  const unreviewed = [...made].filter((r) => !reviewed.has(r)).sort();
  const stale = [...reviewed].filter((r) => !made.has(r)).sort();
  // A new or changed reason: check its claim against the synthesized templates and add a row.
  expect({ unreviewed, stale }).toEqual({ unreviewed: [], stale: [] });
});
