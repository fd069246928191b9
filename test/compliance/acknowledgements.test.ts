import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthesizeDefaultPlatform } from '../support/cloud-assembly';

/**
 * Every acknowledgement the project makes (through `acknowledge()`) must match a finding: an
 * acknowledgement that matches nothing claims a compensating control for a problem that does not
 * exist, or, worse, no longer covers the one it was written for.
 *
 * Acknowledged findings are not open findings in validation-report.json: the report lists them
 * under each plugin's `suppressedViolations`, with the construct the acknowledgement sits on. The
 * acknowledgements themselves are in each stack's metadata (`aws:cdk:acknowledged-rules`), with
 * the stack trace of the call that made them.
 */

interface Acknowledgement {
  /** Construct path, without the leading slash, as the report writes it. */
  readonly at: string;
  /** `<plugin namespace>::<finding id>` */
  readonly id: string;
  /** Where in lib/ the acknowledgement was made. */
  readonly source: string;
}

type StackMetadata = Record<string, { type: string; data: unknown; trace?: string[] }[]>;

/** Namespaces whose findings reach the report; see the Annotation note below. */
const REPORTED = (id: string) => !id.startsWith('Annotation::');

function projectAcknowledgements(dir: string): Acknowledgement[] {
  const acknowledgements: Acknowledgement[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.metadata.json'))) {
    const metadata = JSON.parse(readFileSync(join(dir, file), 'utf8')) as StackMetadata;
    for (const [path, entries] of Object.entries(metadata)) {
      for (const entry of entries.filter((e) => e.type === 'aws:cdk:acknowledged-rules')) {
        const trace = entry.trace ?? [];
        // The project's own: made through acknowledge(); aws-cdk-lib's L2s make some themselves.
        const at = trace.findIndex((line) => line.includes('cdk-iso27001/src/acknowledge.ts'));
        if (at < 0) continue;
        const caller = trace.slice(at + 1).find((line) => line.includes('/lib/')) ?? '';
        const source = caller.replace(/^.*\/(lib\/[^:]+:\d+).*$/, '$1').trim();
        for (const id of Object.keys(entry.data as Record<string, string>)) {
          acknowledgements.push({ at: path.replace(/^\//, ''), id, source });
        }
      }
    }
  }
  return acknowledgements;
}

interface Report {
  pluginReports: { suppressedViolations?: { acknowledgedId: string; acknowledgedAt: string }[] }[];
}

function matchedAcknowledgements(dir: string): Set<string> {
  const report = JSON.parse(readFileSync(join(dir, 'validation-report.json'), 'utf8')) as Report;
  return new Set(
    report.pluginReports.flatMap((p) =>
      (p.suppressedViolations ?? []).map((s) => `${s.acknowledgedAt}|${s.acknowledgedId}`),
    ),
  );
}

test('every acknowledgement of the project matches a finding of the default platform', () => {
  const { dir, succeeded, output } = synthesizeDefaultPlatform();
  expect({ succeeded, output: succeeded ? '' : output }).toEqual({ succeeded: true, output: '' });

  const acknowledgements = projectAcknowledgements(dir);
  // Hundreds of them: reading the metadata works (an empty list would pass vacuously).
  expect(acknowledgements.length).toBeGreaterThan(300);
  const matched = matchedAcknowledgements(dir);
  expect(matched.size).toBeGreaterThan(300);

  // Annotations (e.g. @aws-cdk/aws-s3:accessLogsPolicyNotAdded) are not validation findings: the
  // report has no entry for an acknowledged one, so they cannot be checked here.
  const unmatched = acknowledgements
    .filter((a) => REPORTED(a.id) && !matched.has(`${a.at}|${a.id}`))
    .map((a) => `${a.source}  ${a.id}  on ${a.at}`)
    .sort();
  expect(unmatched).toEqual([]);
});
