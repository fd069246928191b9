import * as fs from 'fs';
import * as path from 'path';
import type { App } from 'aws-cdk-lib';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { checkedAnnexAControls } from './catalogue';
import { writeComplianceReport, type ReportCliOptions } from './cli';

export interface SynthReportOptions extends ReportCliOptions {
  /** Where the report goes. @default `<app.outdir>/compliance` */
  readonly output?: string;
}

/**
 * `app.synth()`, then the compliance report from the validation report that synth wrote, also
 * when a validation plugin failed the synth (the report then starts with the open errors). The
 * synth's own error, if any, is rethrown after the report is written; under the CDK CLI a failed
 * validation does not throw but sets the exit code, and the report is written all the same. No
 * report is written when synth stopped before validation (no fresh validation-report.json).
 * The report lists every Annex A control the ISO pack checks unless `controls` says otherwise.
 */
export function synthWithComplianceReport(
  app: App,
  options: SynthReportOptions = {},
): CloudAssembly {
  const started = Date.now();
  const input = path.join(app.outdir, 'validation-report.json');
  let assembly: CloudAssembly | undefined;
  let failure: unknown;
  try {
    assembly = app.synth();
  } catch (error) {
    failure = error;
  }
  // mtime has at least millisecond resolution; a report older than this synth is not its report
  const fresh = fs.existsSync(input) && fs.statSync(input).mtimeMs >= started - 1000;
  if (fresh) {
    writeComplianceReport({
      ...options,
      controls: options.controls ?? checkedAnnexAControls(),
      input,
      output: options.output ?? path.join(app.outdir, 'compliance'),
      // stdout may carry a template (`cdk synth <stack>`): the report's one line goes to stderr
      stdout: options.stdout ?? ((line) => console.error(line)),
    });
  }
  if (failure !== undefined) throw failure;
  return assembly as CloudAssembly;
}
