import * as fs from 'fs';
import * as path from 'path';
import {
  buildComplianceReport,
  indexAssemblyTemplates,
  parseEvaluations,
  parseValidationReport,
  type AnnexAControl,
  type ComplianceReport,
} from '@logistics-platform/cdk-iso27001/report';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const FIXTURES = path.join(__dirname, 'fixtures');
/** The validation report of a real platform synth (Network stacks, acknowledgements only). */
export const PLATFORM_REPORT = path.join(FIXTURES, 'platform', 'validation-report.json');
/** Hand-made: open ISO findings, a not-checkable warning, other packs, acknowledgements. */
export const HANDMADE_REPORT = path.join(FIXTURES, 'handmade', 'validation-report.json');
/**
 * A fixed catalogue for the tests (the 17 controls the ISO pack checks at synth time), so they do
 * not move with the pack's own catalogue in lib/compliance/controls.ts.
 */
export const TEST_CATALOGUE: readonly AnnexAControl[] = [
  { id: 'A.5.15', title: 'Access control' },
  { id: 'A.5.23', title: 'Information security for use of cloud services' },
  { id: 'A.5.30', title: 'ICT readiness for business continuity' },
  { id: 'A.5.33', title: 'Protection of records' },
  { id: 'A.8.5', title: 'Secure authentication' },
  { id: 'A.8.10', title: 'Information deletion' },
  { id: 'A.8.12', title: 'Data leakage prevention' },
  { id: 'A.8.13', title: 'Information backup' },
  { id: 'A.8.14', title: 'Redundancy of information processing facilities' },
  { id: 'A.8.15', title: 'Logging' },
  { id: 'A.8.16', title: 'Monitoring activities' },
  { id: 'A.8.20', title: 'Networks security' },
  { id: 'A.8.21', title: 'Security of network services' },
  { id: 'A.8.22', title: 'Segregation of networks' },
  { id: 'A.8.24', title: 'Use of cryptography' },
  { id: 'A.8.31', title: 'Separation of development, test and production environments' },
  { id: 'A.8.32', title: 'Change management' },
];

export const GENERATED_AT = new Date('2026-01-02T03:04:05.000Z');

export function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** Build the model from a fixture the way the CLI does (templates beside it, project root). */
export function buildFixtureReport(file: string): ComplianceReport {
  const evaluations = path.join(path.dirname(file), 'compliance', 'iso27001-evaluations.json');
  return buildComplianceReport(parseValidationReport(readJson(file)), {
    evaluations: fs.existsSync(evaluations)
      ? parseEvaluations(readJson(evaluations)).rules
      : undefined,
    controls: TEST_CATALOGUE,
    locator: indexAssemblyTemplates(path.dirname(file)),
    rootDir: '/work/main', // the root the fixtures' stack traces were recorded under
    sourceFile: path.relative(REPO_ROOT, file),
    generatedAt: GENERATED_AT,
  });
}

/** The HTML of one `<section id="...">`, so assertions are about that section only. */
export function htmlSection(html: string, id: string): string {
  const start = html.indexOf(`<section id="${id}"`);
  if (start < 0) throw new Error(`no section ${id}`);
  return html.slice(start, html.indexOf('</section>', start));
}

/** The Markdown from a `## ` heading that starts with `heading` up to the next `## `. */
export function markdownSection(md: string, heading: string): string {
  const start = md.indexOf(`\n## ${heading}`);
  if (start < 0) throw new Error(`no section ${heading}`);
  const end = md.indexOf('\n## ', start + 1);
  return md.slice(start, end < 0 ? undefined : end);
}
