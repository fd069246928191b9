import { FailoverGlobalClusterCommand, SwitchoverGlobalClusterCommand } from '@aws-sdk/client-rds';
import type { PlatformConfig } from '../config';
import { ChangeGate } from './api-calls';
import type { FailoverReport } from './failover-report';
import { failoverReport, formatFailoverReport } from './failover-report';
import { requireConfirmation } from './confirmation';
import { findCluster } from './db-cluster';
import { InputError, RefusedError } from './errors';
import type { PreflightCheck } from './failover-preflight';
import {
  DEFAULT_MAX_LAG_MS,
  describeGlobal,
  globalTopology,
  plannedPreflight,
  replicationLagMs,
} from './failover-preflight';
import { parsePositiveNumber } from './input';
import { waitFor } from './progress';
import type { RecoveryRuntime } from './runtime';
import type { RecoveryTarget } from './target';
import { resolveEnvironment, resolveTarget } from './target';

export interface FailoverOptions {
  readonly env?: string;
  /** Region whose secondary cluster becomes the writer. */
  readonly to?: string;
  readonly unplanned?: boolean;
  readonly allowDataLoss?: boolean;
  /** Planned switchover refuses above this lag (ms). @default 1000 */
  readonly maxLagMs?: string;
  readonly dryRun?: boolean;
  readonly confirm?: string;
}

export interface FailoverResult {
  readonly mode: 'switchover' | 'failover';
  readonly checks: readonly PreflightCheck[];
  readonly done: boolean;
  /** What moved and what the operator must still do (after a completed move). */
  readonly report?: FailoverReport;
}

/**
 * `failover`: a planned switchover of the global database to `--to` (no data loss, after
 * preflight checks) or, with `--unplanned --allow-data-loss`, a failover that accepts losing
 * what had not replicated yet.
 */
export async function failover(
  config: PlatformConfig,
  options: FailoverOptions,
  runtime: RecoveryRuntime,
): Promise<FailoverResult> {
  const [envName, env] = resolveEnvironment(config, options.env);
  if (!env.secondaryRegion) {
    throw new InputError(
      '--env',
      `environment "${envName}" has one region (${env.primaryRegion}); there is no secondary to fail over to`,
      'fail over an environment with a secondaryRegion in the config, e.g. prod',
    );
  }
  const target = resolveTarget(config, envName, options.to, '--to');
  if (options.unplanned && !options.allowDataLoss) {
    throw new RefusedError(
      '--unplanned without --allow-data-loss: an unplanned failover promotes the secondary without waiting for replication, so writes not yet replicated (typically under 1 s, see the lag) are lost',
      `if the primary region is down and you accept that loss, add --allow-data-loss; if the primary is healthy, leave out --unplanned for a planned switchover without data loss`,
    );
  }
  if (options.allowDataLoss && !options.unplanned) {
    throw new InputError(
      '--allow-data-loss',
      'only applies to --unplanned',
      'leave it out for a planned switchover, or add --unplanned for an unplanned failover',
    );
  }
  const maxLagMs = options.maxLagMs
    ? parsePositiveNumber('--max-lag-ms', options.maxLagMs)
    : DEFAULT_MAX_LAG_MS;

  const rds = runtime.clients.rds(target.region);
  const topology = await globalTopology(rds, target);
  const mode = options.unplanned ? 'failover' : 'switchover';
  const checks = options.unplanned
    ? await unplannedChecks(runtime, target)
    : await plannedPreflight(runtime, target, topology, maxLagMs);
  runtime.terminal.out(
    `Preflight for ${mode} of ${target.names.globalCluster} from ${topology.writerRegion ?? '?'} to ${target.region}:`,
  );
  for (const c of checks)
    runtime.terminal.out(`  ${c.ok ? 'PASS' : 'FAIL'}  ${c.name}: ${c.detail}`);
  const failed = checks.filter((c) => !c.ok);
  if (failed.length > 0) {
    throw new RefusedError(
      `preflight failed (${failed.map((c) => c.name).join('; ')}); nothing was done`,
      options.unplanned
        ? 'the secondary cluster must be available to take over; check it in the RDS console'
        : `fix the failed checks and retry; wait for lag to drop, or raise --max-lag-ms; if the primary region is down use --unplanned --allow-data-loss (see docs/runbooks/regional-failover.md)`,
    );
  }

  const gate = new ChangeGate(runtime.terminal, options.dryRun ?? false);
  const expected = `${envName}/${target.names.globalCluster}`;
  if (!gate.dryRun) {
    if (options.unplanned) {
      runtime.terminal.err(
        `WARNING: unplanned failover with data loss: writes to ${topology.writerRegion ?? 'the old primary'} that had not replicated to ${target.region} are lost.`,
      );
    }
    await requireConfirmation(runtime.terminal, {
      expected,
      action: `${options.unplanned ? 'FAIL OVER (allowing data loss)' : 'switch over'} ${target.names.globalCluster} so that ${target.region} becomes the writer`,
      supplied: options.confirm,
    });
  }
  const request = {
    GlobalClusterIdentifier: target.names.globalCluster,
    TargetDbClusterIdentifier: topology.targetArn,
  };
  if (options.unplanned) {
    const params = { ...request, AllowDataLoss: true };
    await gate.run('rds:FailoverGlobalCluster', params, () =>
      rds.send(new FailoverGlobalClusterCommand(params)),
    );
  } else {
    await gate.run('rds:SwitchoverGlobalCluster', request, () =>
      rds.send(new SwitchoverGlobalClusterCommand(request)),
    );
  }
  if (gate.dryRun) {
    runtime.terminal.out('[dry run] nothing was done.');
    return { mode, checks, done: false };
  }
  await waitFor(
    runtime,
    {
      what: `${mode} to ${target.region}`,
      fix: `aws rds describe-global-clusters --region ${target.region} --global-cluster-identifier ${target.names.globalCluster}`,
    },
    async () => {
      const global = await describeGlobal(rds, target.names.globalCluster);
      const writer = global?.GlobalClusterMembers?.find((m) => m.IsWriter);
      const writerRegion = writer?.DBClusterArn?.split(':')[3] ?? 'none';
      const failoverState = global?.FailoverState?.Status;
      return {
        status: `${global?.Status ?? 'unknown'}, writer ${writerRegion}${failoverState ? `, ${failoverState}` : ''}`,
        done:
          global?.Status === 'available' &&
          writer?.DBClusterArn === topology.targetArn &&
          !failoverState,
      };
    },
  );
  const report = failoverReport(target, mode, topology.writerRegion);
  runtime.terminal.out(formatFailoverReport(report));
  return { mode, checks, done: true, report };
}

/** An unplanned failover only needs the target to be able to take over. */
async function unplannedChecks(
  runtime: RecoveryRuntime,
  target: RecoveryTarget,
): Promise<PreflightCheck[]> {
  const cluster = await findCluster(runtime.clients.rds(target.region), target.names.auroraCluster);
  const checks: PreflightCheck[] = [
    {
      name: `secondary cluster available (${target.region})`,
      ok: cluster?.Status === 'available',
      detail: `${target.names.auroraCluster} is ${cluster?.Status ?? 'not found'}`,
    },
  ];
  const lag = await replicationLagMs(
    runtime.clients.cloudWatch(target.region),
    target.names.auroraCluster,
    runtime.now(),
  ).catch(() => undefined);
  runtime.terminal.out(
    `Last replication lag seen: ${lag === undefined ? 'unknown (no datapoint in 10 minutes)' : `${lag} ms`}: roughly the writes that will be lost.`,
  );
  return checks;
}
