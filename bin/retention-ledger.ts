#!/usr/bin/env node
/**
 * Retention ledger CLI: `npm run retention-ledger -- [--config <path>] [--env <name>] [--json]`.
 * Prints, per environment, every store that can hold a closed tenant's bytes and the last day they
 * can exist; exits 1 when a store outlives the promise, 2 on a config it cannot read, else 0.
 * The arithmetic lives in lib/config/retention-ledger.ts; the reasoning in docs/retention-ledger.md.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import type { ConfigProblem, PlatformConfig } from '../lib/config';
import { DEFAULT_CONFIG, formatProblems, pathToString, platformSchema } from '../lib/config';
import type { LedgerReport, LedgerRow } from '../lib/config/retention-ledger';
import { retentionLedger } from '../lib/config/retention-ledger';

export const EXIT = { ok: 0, broken: 1, badInput: 2 } as const;

export interface Terminal {
  out(text: string): void;
  err(text: string): void;
}

const STDIO: Terminal = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

/** Schema only: the ledger must print even for a config whose invariants (the ledger) fail. */
function readConfig(path: string | undefined): PlatformConfig | ConfigProblem[] {
  if (!path) return DEFAULT_CONFIG;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const fix = 'pass the path of a readable JSON config, e.g. config/platform.example.json';
    return [{ path: '', message: (error as Error).message, fix }];
  }
  const parsed = platformSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  return parsed.error.issues.map((issue) => ({
    path: pathToString(issue.path),
    message: issue.message,
    fix: 'correct the value (see config/platform.example.json)',
  }));
}

function lastDayText(row: LedgerRow): string {
  return row.lastDay === null ? 'kept' : String(row.lastDay);
}

function pad(cells: readonly string[], widths: readonly number[]): string {
  return cells
    .map((cell, i) => cell.padEnd(widths[i]))
    .join('  ')
    .trimEnd();
}

/** The human-readable table of one report (already filtered to the wanted environments). */
export function formatLedger(report: LedgerReport): string {
  const lines = [
    `Promise: no closed tenant's bytes after day ${report.promiseDays} (grace + archive retention + margin).`,
    `Live data deleted on day ${report.archiveDay}; archive purged on day ${report.purgeDay}; ` +
      `archive lifecycle backstop: expire after ${report.backstopExpirationDays} days.`,
  ];
  const header = ['store', 'rests on', 'last day', 'limit', 'status'];
  for (const env of report.environments) {
    const cells = env.rows.map((row) => [
      row.store,
      row.restsOn.join(', ') || '-',
      lastDayText(row),
      String(row.limit),
      row.status === 'violation' && row.lastDay !== null && row.lastDay > row.limit
        ? `VIOLATION (+${row.lastDay - row.limit})`
        : row.status === 'violation'
          ? 'VIOLATION (lock)'
          : row.status,
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
    lines.push('', `Environment ${env.name}`, pad(header, widths));
    lines.push(
      pad(
        widths.map((w) => '-'.repeat(w)),
        widths,
      ),
    );
    lines.push(...cells.map((c) => pad(c, widths)));
  }
  return lines.join('\n');
}

function onlyEnvironment(report: LedgerReport, name: string | undefined): LedgerReport {
  if (!name) return report;
  return {
    ...report,
    environments: report.environments.filter((e) => e.name === name),
    problems: report.problems.filter((p) => p.message.startsWith(`${name}: `)),
  };
}

/** Run the CLI with user arguments (without `node` and the script); returns the exit code. */
export function main(args: readonly string[], terminal: Terminal = STDIO): number {
  const program = new Command('retention-ledger')
    .description("Last day a closed tenant's bytes can exist in each store, per environment")
    .option('--config <path>', 'platform config JSON file (default: the embedded default config)')
    .option('--env <name>', 'only this environment')
    .option('--json', 'print JSON instead of a table')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => terminal.out(s.trimEnd()),
      writeErr: (s) => terminal.err(s.trimEnd()),
    });
  try {
    program.parse([...args], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    throw error;
  }
  const opts = program.opts<{ config?: string; env?: string; json?: boolean }>();
  const config = readConfig(opts.config);
  if (Array.isArray(config)) {
    terminal.err(formatProblems(config, opts.config ?? 'config').replace(/; nothing.*$/m, '.'));
    return EXIT.badInput;
  }
  if (opts.env && !config.environments[opts.env]) {
    const names = Object.keys(config.environments).join(', ');
    terminal.err(`error: no environment "${opts.env}" in the config (${names})`);
    return EXIT.badInput;
  }
  const report = onlyEnvironment(retentionLedger(config), opts.env);
  if (opts.json) {
    terminal.out(JSON.stringify(report, null, 2));
  } else {
    terminal.out(formatLedger(report));
    if (report.problems.length > 0) {
      const source = opts.config ?? 'embedded default';
      terminal.err(
        `\n${formatProblems(report.problems, source).replace('nothing was synthesized', 'the promise is broken')}`,
      );
    }
  }
  return report.problems.length > 0 ? EXIT.broken : EXIT.ok;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
