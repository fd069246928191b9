import * as fs from 'fs';
import * as path from 'path';
import { parseEvaluations } from './evidence';
import type { RawValidationReport } from './input';
import { collectProvenance } from './provenance';
import { renderHtml } from './html';
import { parseValidationReport, ValidationReportError } from './input';
import { renderMarkdown } from './markdown';
import type { AnnexAControl, ComplianceReport } from './model';
import { buildComplianceReport } from './normalize';
import { renderSarif } from './sarif';
import { buildSummary } from './summary';
import { indexAssemblyTemplates } from './template-index';

export const DEFAULT_INPUT = 'cdk.out/validation-report.json';
export const DEFAULT_OUTPUT = 'cdk.out/compliance';
/** The ISO pack's per-rule evaluations, relative to the cloud assembly directory. */
export const EVALUATIONS_IN_ASSEMBLY = 'compliance/iso27001-evaluations.json';

const USAGE = `Usage: npm run report -- [--in <validation-report.json>] [--out <dir>]

Turns the validation report that \`cdk synth\` writes into report.html, report.md,
report.sarif (open findings, for GitHub code scanning), report-acknowledged.sarif and
summary.json.

  --in <path>   validation report to read (default ${DEFAULT_INPUT})
  --out <dir>   folder to write the report to (default ${DEFAULT_OUTPUT})`;

export interface ReportCliOptions {
  /** Annex A controls catalogue: controls without findings are listed too. */
  readonly controls?: readonly AnnexAControl[];
  /** Project root; relative --in/--out resolve against it. @default process.cwd() */
  readonly cwd?: string;
  readonly stdout?: (line: string) => void;
  readonly stderr?: (line: string) => void;
  /** @default now */
  readonly now?: Date;
  /** The config file the synth used, as given (undefined: the embedded default). */
  readonly configFile?: string;
  /** The effective config, hashed into the provenance. */
  readonly config?: unknown;
  /**
   * Collect git commit, dirty flag and package versions.
   * @default true
   */
  readonly provenance?: boolean;
}

/** The name aws-cdk-lib gives its built-in CloudFormation validation. */
export const BUILT_IN_VALIDATION = 'CloudFormation Validate';

/**
 * aws-cdk-lib leaves its built-in validation out of the report when it finds nothing. When
 * cdk.json turns it on (`@aws-cdk/core:validateAgainstDefaultRules`), list it as a plugin that ran
 * with no findings, so the report shows every plugin.
 */
export function withBuiltInValidation(raw: RawValidationReport, cwd: string): RawValidationReport {
  if (raw.pluginReports.some((p) => p.pluginName === BUILT_IN_VALIDATION)) return raw;
  let on = false;
  try {
    const cdkJson = JSON.parse(fs.readFileSync(path.join(cwd, 'cdk.json'), 'utf8')) as {
      context?: Record<string, unknown>;
    };
    on = cdkJson.context?.['@aws-cdk/core:validateAgainstDefaultRules'] === true;
  } catch {
    on = false;
  }
  if (!on) return raw;
  return {
    ...raw,
    pluginReports: [
      ...raw.pluginReports,
      {
        pluginName: BUILT_IN_VALIDATION,
        conclusion: 'success',
        preamble:
          'Built into aws-cdk-lib; it ran and reported nothing (absent from validation-report.json).',
        violations: [],
        suppressedViolations: [],
      },
    ],
  };
}

interface CliArgs {
  readonly input: string;
  readonly output: string;
  readonly help: boolean;
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): CliArgs {
  let input = DEFAULT_INPUT;
  let output = DEFAULT_OUTPUT;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (!v) throw new UsageError(`${flag} needs a value.`);
      return v;
    };
    if (flag === '--in') input = value();
    else if (flag === '--out') output = value();
    else if (flag === '--help' || flag === '-h') help = true;
    else throw new UsageError(`Unknown argument: ${argv[i]}`);
  }
  return { input, output, help };
}

function readReport(file: string, label: string): unknown {
  const hint = 'Run `npm run synth` first: it writes the validation report.';
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'not found' : `cannot be read (${code ?? String(error)})`;
    throw new ValidationReportError(`${label}: ${why}. ${hint}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ValidationReportError(
      `${label} is not valid JSON (${(error as Error).message}). ${hint}`,
    );
  }
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** A path as the user would type it: relative to the project when inside it. */
function shown(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? toPosix(file) : toPosix(rel) || '.';
}

/**
 * `npm run report`: read the validation report, write the four outputs. Returns the exit code:
 * 0 when the report was written (whatever it contains), 1 on a missing or malformed input,
 * 2 on bad arguments.
 */
export function runReportCli(argv: readonly string[], options: ReportCliOptions = {}): number {
  const out = options.stdout ?? ((line: string) => console.log(line));
  const err = options.stderr ?? ((line: string) => console.error(line));
  const cwd = options.cwd ?? process.cwd();
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (error) {
    err(`report: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    out(USAGE);
    return 0;
  }
  const written = writeComplianceReport({
    ...options,
    cwd,
    input: args.input,
    output: args.output,
    stdout: out,
    stderr: err,
  });
  return written ? 0 : 1;
}

export interface WriteReportOptions extends ReportCliOptions {
  /** The validation report, relative to `cwd` or absolute. @default DEFAULT_INPUT */
  readonly input?: string;
  /** The folder to write to, relative to `cwd` or absolute. @default DEFAULT_OUTPUT */
  readonly output?: string;
}

/**
 * Read a validation report (and the ISO pack's evaluations beside it) and write report.html,
 * report.md, report.sarif, report-acknowledged.sarif and summary.json. Returns the report, or
 * undefined (after saying why on stderr) when the input is missing or malformed.
 */
export function writeComplianceReport(
  options: WriteReportOptions = {},
): ComplianceReport | undefined {
  const out = options.stdout ?? ((line: string) => console.log(line));
  const err = options.stderr ?? ((line: string) => console.error(line));
  const cwd = options.cwd ?? process.cwd();
  const args = { input: options.input ?? DEFAULT_INPUT, output: options.output ?? DEFAULT_OUTPUT };
  const inputFile = path.resolve(cwd, args.input);
  const outputDir = path.resolve(cwd, args.output);
  let raw;
  try {
    raw = withBuiltInValidation(parseValidationReport(readReport(inputFile, args.input)), cwd);
  } catch (error) {
    if (!(error instanceof ValidationReportError)) throw error;
    const detail = error.message.includes('npm run synth')
      ? error.message
      : `${args.input} is not a CDK validation report: ${error.message}. ` +
        'Run `npm run synth` first to write a fresh one.';
    err(`report: ${detail}`);
    return undefined;
  }
  const assemblyDir = path.dirname(inputFile);
  const evaluationsFile = path.join(assemblyDir, EVALUATIONS_IN_ASSEMBLY);
  let evaluations;
  if (fs.existsSync(evaluationsFile)) {
    try {
      evaluations = parseEvaluations(readReport(evaluationsFile, shown(evaluationsFile, cwd)));
    } catch (error) {
      if (!(error instanceof ValidationReportError)) throw error;
      err(`report: ${error.message}`);
      return undefined;
    }
  }
  const now = options.now ?? new Date();
  const provenance =
    options.provenance === false
      ? undefined
      : collectProvenance({
          cwd,
          plugins: raw.pluginReports.map((p) => ({ name: p.pluginName, version: p.pluginVersion })),
          configFile: options.configFile,
          config: options.config,
          now,
        });
  const report = buildComplianceReport(raw, {
    evaluations: evaluations?.rules,
    provenance,
    controls: options.controls,
    locator: indexAssemblyTemplates(assemblyDir),
    rootDir: cwd,
    sourceFile: shown(inputFile, cwd),
    generatedAt: now,
  });
  fs.mkdirSync(outputDir, { recursive: true });
  const assemblyRel = path.relative(cwd, assemblyDir);
  // relative to the project root, as GitHub code scanning takes them; none outside the project
  const assemblyUri =
    assemblyRel.startsWith('..') || path.isAbsolute(assemblyRel) ? null : toPosix(assemblyRel);
  const sarif = (results: 'open' | 'acknowledged') =>
    `${JSON.stringify(renderSarif(report, { assemblyUri, results }), null, 2)}\n`;
  const files: Record<string, string> = {
    'report.html': renderHtml(report),
    'report.md': renderMarkdown(report),
    // for GitHub code scanning: open findings only, each one an alert
    'report.sarif': sarif('open'),
    // the acknowledged findings with their suppressions, for the record (not for upload)
    'report-acknowledged.sarif': sarif('acknowledged'),
    'summary.json': `${JSON.stringify(buildSummary(report), null, 2)}\n`,
  };
  for (const [name, content] of Object.entries(files)) {
    fs.writeFileSync(path.join(outputDir, name), content);
  }
  const c = report.counts;
  out(
    `Compliance report written to ${shown(outputDir, cwd)}/ ` +
      `(${Object.keys(files).join(', ')}): ${c.openErrors} open errors, ` +
      `${c.openWarnings} open warnings (${c.notCheckable} not checkable), ` +
      `${c.acknowledged} acknowledged.`,
  );
  return report;
}
