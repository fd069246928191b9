#!/usr/bin/env node
/**
 * On-call restore CLI: `npm run restore -- <command> ...`. Parses options and wires them to
 * lib/recovery; every check and every AWS call lives there. Runbooks: docs/runbooks/.
 */
import { Command, CommanderError, Option } from 'commander';
import type { PlatformConfig } from '../lib/config';
import { ConfigError, loadConfig } from '../lib/config';
import type { RecoveryRuntime } from '../lib/recovery';
import {
  DEFAULT_MAX_LAG_MS,
  EXIT,
  FAILBACK_BUCKETS,
  RecoveryError,
  RESOURCES,
  defaultRuntime,
  failbackFiles,
  failover,
  listPoints,
  restoreDb,
  restoreFiles,
} from '../lib/recovery';

const CONFIRM_HELP =
  'the confirmation text, for automation: <env>/<resource>, exactly as the prompt asks';

/** The commander program; `run` loads the config and runs a command's task. */
export function buildProgram(
  runtime: RecoveryRuntime,
  run: (task: (config: PlatformConfig) => Promise<unknown>, cmd: Command) => Promise<void>,
): Command {
  const program = new Command('restore')
    .description(
      'On-call recovery: recovery points, Aurora restores, file roll-back, regional failover and failback. Runbooks: docs/runbooks/',
    )
    .option('--config <path>', 'platform config JSON file (default: the embedded default config)')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => runtime.terminal.out(s.trimEnd()),
      writeErr: (s) => runtime.terminal.err(s.trimEnd()),
    });

  program
    .command('points')
    .description("list recovery points of a resource in the region's backup vault")
    .requiredOption('--env <env>', 'environment from the config, e.g. prod')
    .requiredOption('--region <region>', "one of the environment's regions")
    .addOption(
      new Option('--resource <resource>', 'what to list')
        .choices([...RESOURCES])
        .makeOptionMandatory(),
    )
    .option('--json', 'print JSON instead of a table')
    .action(async (opts, cmd: Command) => run((config) => listPoints(config, opts, runtime), cmd));

  program
    .command('restore-db')
    .description('restore Aurora into a NEW cluster, from a recovery point or to a point in time')
    .requiredOption('--env <env>', 'environment from the config, e.g. prod')
    .requiredOption('--region <region>', 'region of the live cluster to restore')
    .option(
      '--recovery-point <arn>',
      'AWS Backup recovery point ARN (from `points --resource aurora`)',
    )
    .option('--to-time <time>', 'point in time, ISO-8601 with zone, e.g. 2025-03-01T02:30:00Z')
    .addOption(
      new Option('--restore-type <type>', 'point-in-time restore type')
        .choices(['copy-on-write', 'full-copy'])
        .default('copy-on-write'),
    )
    .option(
      '--target-cluster <id>',
      'new cluster identifier (default: <live>-restore-<yyyymmddhhmm>)',
    )
    .option('--instance-class <class>', "instance class (default: the live cluster's)")
    .option(
      '--iam-role <arn>',
      'role AWS Backup restores with (default: AWSBackupDefaultServiceRole)',
    )
    .option('--dry-run', 'print the exact API calls, change nothing')
    .option('--confirm <text>', CONFIRM_HELP)
    .action(async (opts, cmd: Command) => run((config) => restoreDb(config, opts, runtime), cmd));

  program
    .command('restore-files')
    .description(
      'ransomware roll-back: make each key under a prefix as it was at a time (dry run unless --apply)',
    )
    .requiredOption('--env <env>', 'environment from the config, e.g. prod')
    .requiredOption('--region <region>', 'region of the file bucket (normally the primary)')
    .requiredOption('--prefix <prefix>', 'key prefix, e.g. tenants/acme/')
    .requiredOption('--to-time <time>', 'ISO-8601 time with zone, before the damage')
    .option('--apply', 'make the changes (after the typed confirmation)')
    .option('--dry-run', 'only print what would change (the default)')
    .option('--state-file <path>', 'record done keys here; rerun with the same file to resume')
    .option('--keep-new-keys', 'leave keys created after the time visible instead of hiding them')
    .option('--confirm <text>', CONFIRM_HELP)
    .action(async (opts, cmd: Command) =>
      run((config) => restoreFiles(config, opts, runtime), cmd),
    );

  program
    .command('failover')
    .description('planned switchover of the global database to a region (or an unplanned failover)')
    .requiredOption('--env <env>', 'environment from the config, e.g. prod')
    .requiredOption('--to <region>', 'region whose secondary cluster becomes the writer')
    .option('--unplanned', 'unplanned failover (primary region down); needs --allow-data-loss')
    .option('--allow-data-loss', 'accept losing writes not yet replicated (with --unplanned)')
    .option(
      '--max-lag-ms <ms>',
      `refuse a planned switchover above this replication lag (default ${DEFAULT_MAX_LAG_MS})`,
    )
    .option('--dry-run', 'run the preflight and print the exact API call, change nothing')
    .option('--confirm <text>', CONFIRM_HELP)
    .action(async (opts, cmd: Command) => run((config) => failover(config, opts, runtime), cmd));

  program
    .command('failback-files')
    .description(
      "copy what the secondary region's buckets received since a failover to the primary's (dry run unless --apply)",
    )
    .requiredOption('--env <env>', 'environment from the config, e.g. prod')
    .addOption(
      new Option('--buckets <which>', 'the file bucket, the archive bucket, or both')
        .choices([...FAILBACK_BUCKETS])
        .makeOptionMandatory(),
    )
    .requiredOption(
      '--since <time>',
      'ISO-8601 time with zone: when the secondary became the writer',
    )
    .option('--prefix <prefix>', 'only keys under it, whole path segments, e.g. tenants/acme')
    .option('--apply', 'copy (after the typed confirmation)')
    .option('--dry-run', 'only print what would be copied (the default)')
    .option('--state-file <path>', 'record done keys here; rerun with the same file to resume')
    .option('--confirm <text>', CONFIRM_HELP)
    .action(async (opts, cmd: Command) =>
      run((config) => failbackFiles(config, opts, runtime), cmd),
    );

  return program;
}

/** Run the CLI with user arguments (without `node` and the script); resolves to the exit code. */
export async function main(
  args: readonly string[],
  runtime: RecoveryRuntime = defaultRuntime(),
): Promise<number> {
  let code: number = EXIT.ok;
  const run = async (task: (config: PlatformConfig) => Promise<unknown>, cmd: Command) => {
    const { config: configPath } = cmd.optsWithGlobals<{ config?: string }>();
    await task(loadConfig(configPath));
  };
  const program = buildProgram(runtime, run);
  try {
    await program.parseAsync([...args], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      code = error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    } else if (error instanceof RecoveryError) {
      runtime.terminal.err(error.render());
      code = error.exitCode;
    } else if (error instanceof ConfigError) {
      runtime.terminal.err(error.message.replace('nothing was synthesized', 'nothing was done'));
      code = EXIT.badInput;
    } else {
      const e = error as Error;
      runtime.terminal.err(`error: ${e.name}: ${e.message}`);
      runtime.terminal.err(
        '  fix: check your AWS credentials and region, then rerun; what was already done is printed above',
      );
      code = EXIT.failed;
    }
  }
  return code;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
