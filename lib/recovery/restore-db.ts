import type { BackupClient } from '@aws-sdk/client-backup';
import {
  DescribeRestoreJobCommand,
  GetRecoveryPointRestoreMetadataCommand,
  StartRestoreJobCommand,
} from '@aws-sdk/client-backup';
import type { DBCluster, RDSClient } from '@aws-sdk/client-rds';
import { RestoreDBClusterToPointInTimeCommand } from '@aws-sdk/client-rds';
import type { PlatformConfig } from '../config';
import { ChangeGate } from './api-calls';
import { requireConfirmation } from './confirmation';
import type { LiveClusterSettings } from './db-cluster';
import {
  addInstance,
  clusterInstances,
  findCluster,
  liveSettings,
  waitForClusterAvailable,
} from './db-cluster';
import { InputError, RefusedError } from './errors';
import {
  compactUtcMinute,
  parseTime,
  requireClusterIdentifier,
  requirePast,
  requireWithinDays,
} from './input';
import { waitFor } from './progress';
import { checkRecoveryPointArn, requireAuroraRecoveryPoint } from './recovery-point';
import type { RestoreType } from './restore-db-requests';
import {
  backupRestoreMetadata,
  pointInTimeDetail,
  pointInTimeRequest,
  RESTORED_BY,
} from './restore-db-requests';
import type { RecoveryRuntime } from './runtime';
import type { RecoveryTarget } from './target';
import { resolveTarget } from './target';

export interface RestoreDbOptions {
  readonly env?: string;
  readonly region?: string;
  /** Restore this AWS Backup recovery point (StartRestoreJob). */
  readonly recoveryPoint?: string;
  /** Restore to this time (RestoreDBClusterToPointInTime). */
  readonly toTime?: string;
  /** PITR only. @default copy-on-write */
  readonly restoreType?: string;
  /** @default `<live cluster>-restore-<yyyymmddhhmm>` (UTC now) */
  readonly targetCluster?: string;
  /** @default the live cluster's writer instance class */
  readonly instanceClass?: string;
  /** Role AWS Backup restores with. @default the account's AWSBackupDefaultServiceRole */
  readonly iamRole?: string;
  readonly dryRun?: boolean;
  readonly confirm?: string;
}

export interface RestoreDbResult {
  readonly targetCluster: string;
  readonly instance?: string;
  readonly endpoint?: string;
}

/** `restore-db`: restore Aurora into a NEW cluster, never over the live one. */
export async function restoreDb(
  config: PlatformConfig,
  options: RestoreDbOptions,
  runtime: RecoveryRuntime,
): Promise<RestoreDbResult> {
  // 1. Everything that needs no AWS call.
  const target = resolveTarget(config, options.env, options.region);
  const liveId = target.names.auroraCluster;
  if (Boolean(options.recoveryPoint) === Boolean(options.toTime)) {
    throw new InputError(
      '--recovery-point / --to-time',
      options.recoveryPoint ? 'pass only one of them' : 'one of them is required',
      'pass --recovery-point <arn> (from `points`) to restore a backup, or --to-time <ISO time> for a point-in-time restore',
    );
  }
  const now = runtime.now();
  let time: Date | undefined;
  if (options.toTime) {
    time = parseTime('--to-time', options.toTime);
    requirePast('--to-time', time, now);
    const days = target.env.backup.continuousRetentionDays;
    requireWithinDays('--to-time', time, now, days, `${target.envName}'s continuous backup window`);
  }
  if (options.recoveryPoint) checkRecoveryPointArn(target, options.recoveryPoint);
  const restoreType = parseRestoreType(options.restoreType);
  const targetId = options.targetCluster ?? `${liveId}-restore-${compactUtcMinute(now)}`;
  requireClusterIdentifier('--target-cluster', targetId);
  if (targetId.toLowerCase() === liveId.toLowerCase()) {
    throw new RefusedError(
      `the target cluster ${targetId} is the live cluster; restores never overwrite it`,
      'leave out --target-cluster (the default is <live>-restore-<yyyymmddhhmm>) or name a new cluster',
    );
  }

  // 2. Read-only checks against AWS.
  const rds = runtime.clients.rds(target.region);
  const backup = runtime.clients.backup(target.region);
  const liveCluster = await findCluster(rds, liveId);
  if (!liveCluster) {
    throw new RefusedError(
      `the live cluster ${liveId} was not found in ${target.region}`,
      'check --env, --region and your AWS credentials (account ' + target.account + ')',
    );
  }
  const live = liveSettings(liveCluster);
  if (time) requireRestorableTime(time, live);
  const existing = await findCluster(rds, targetId);
  const resuming = existing !== undefined;
  if (existing && !(time && isThisRestore(existing, liveId, pointInTimeDetail(time)))) {
    throw new RefusedError(
      `a cluster named ${targetId} already exists and is not this restore ` +
        `(tags restored-from ${tagOf(existing, 'restored-from') ?? 'none'}, ` +
        `restore-detail ${tagOf(existing, 'restore-detail') ?? 'none'})`,
      'pass --target-cluster with a new name, or delete the old restore first; an interrupted ' +
        'point-in-time restore resumes when run again with the same --to-time and --target-cluster',
    );
  }
  const point = options.recoveryPoint
    ? await requireAuroraRecoveryPoint(backup, target, options.recoveryPoint)
    : undefined;
  const instanceClass = options.instanceClass ?? (await liveInstanceClass(rds, liveId));

  // 3. Say what will happen, then confirm.
  const source = point
    ? `recovery point ${point.RecoveryPointArn} (created ${point.CreationDate?.toISOString() ?? '?'})`
    : `${liveId} as it was at ${time?.toISOString()} (${restoreType})`;
  runtime.terminal.out(
    resuming
      ? `Resuming the restore into ${targetId} in ${target.region} (${source}, status ${existing.Status}): no second restore is started.`
      : `Restore ${source}\n  into NEW cluster ${targetId} in ${target.region}, with one ${instanceClass} instance.`,
  );
  const gate = new ChangeGate(runtime.terminal, options.dryRun ?? false);
  if (!gate.dryRun) {
    await requireConfirmation(runtime.terminal, {
      expected: `${target.envName}/${liveId}`,
      action: `restore into new cluster ${targetId} (the live cluster ${liveId} is not touched)`,
      supplied: options.confirm,
    });
  }

  // 4. Act (a resumed restore skips what it did before).
  if (resuming) {
    // started by an earlier run: wait for it below
  } else if (point) {
    await restoreFromPoint(
      runtime,
      gate,
      backup,
      target,
      live,
      targetId,
      options.iamRole,
      point.RecoveryPointArn ?? '',
    );
  } else {
    const request = pointInTimeRequest(live, targetId, time as Date, restoreType);
    await gate.run('rds:RestoreDBClusterToPointInTime', request, () =>
      rds.send(new RestoreDBClusterToPointInTimeCommand(request)),
    );
  }
  const restored = gate.dryRun ? undefined : await waitForClusterAvailable(runtime, rds, targetId);
  const earlier = resuming ? await clusterInstances(rds, targetId) : [];
  const instance =
    earlier[0]?.DBInstanceIdentifier ??
    (await addInstance(
      runtime,
      gate,
      rds,
      {
        id: targetId,
        engine: restored?.Engine ?? live.engine,
        hasServerlessScaling: Boolean(restored?.ServerlessV2ScalingConfiguration),
      },
      live,
      instanceClass,
    ));
  if (gate.dryRun) {
    runtime.terminal.out(`[dry run] ${gate.calls.length} change(s) printed; nothing was done.`);
    return { targetCluster: targetId, instance };
  }
  const endpoint = restored?.Endpoint ?? (await findCluster(rds, targetId))?.Endpoint;
  printNextSteps(runtime, target, targetId, instance, endpoint);
  return { targetCluster: targetId, instance, endpoint };
}

const tagOf = (cluster: DBCluster, key: string) =>
  cluster.TagList?.find((t) => t.Key === key)?.Value;

/** A cluster this CLI restored from the live cluster with the same request (its tags say so). */
function isThisRestore(cluster: DBCluster, liveId: string, detail: string): boolean {
  return (
    tagOf(cluster, 'restored-by') === RESTORED_BY &&
    tagOf(cluster, 'restored-from') === liveId &&
    tagOf(cluster, 'restore-detail') === detail
  );
}

function parseRestoreType(value: string | undefined): RestoreType {
  if (value === undefined || value === 'copy-on-write' || value === 'full-copy') {
    return value ?? 'copy-on-write';
  }
  throw new InputError(
    '--restore-type',
    `"${value}" is not a restore type`,
    'use copy-on-write (fast clone, the default) or full-copy (independent storage)',
  );
}

function requireRestorableTime(time: Date, live: LiveClusterSettings): void {
  const { earliestRestorableTime: earliest, latestRestorableTime: latest } = live;
  if (earliest && time < earliest) {
    throw new InputError(
      '--to-time',
      `${time.toISOString()} is before ${live.id}'s earliest restorable time ${earliest.toISOString()}`,
      'pick a later time, or restore a daily or monthly recovery point with --recovery-point',
    );
  }
  if (latest && time > latest) {
    throw new InputError(
      '--to-time',
      `${time.toISOString()} is after ${live.id}'s latest restorable time ${latest.toISOString()}`,
      `pick a time at or before ${latest.toISOString()} (it moves forward every few minutes)`,
    );
  }
}

async function liveInstanceClass(rds: RDSClient, liveId: string): Promise<string> {
  const instances = await clusterInstances(rds, liveId);
  const cls = instances.find((i) => i.DBInstanceClass)?.DBInstanceClass;
  if (!cls) {
    throw new InputError(
      '--instance-class',
      `cannot tell the live cluster ${liveId}'s instance class (it has no instances)`,
      'pass --instance-class, e.g. db.r6g.large or db.serverless',
    );
  }
  return cls;
}

async function restoreFromPoint(
  runtime: RecoveryRuntime,
  gate: ChangeGate,
  backup: BackupClient,
  target: RecoveryTarget,
  live: LiveClusterSettings,
  targetId: string,
  iamRole: string | undefined,
  recoveryPointArn: string,
): Promise<void> {
  const recorded = await backup.send(
    new GetRecoveryPointRestoreMetadataCommand({
      BackupVaultName: target.names.backupVault,
      RecoveryPointArn: recoveryPointArn,
    }),
  );
  const request = {
    RecoveryPointArn: recoveryPointArn,
    Metadata: backupRestoreMetadata(recorded.RestoreMetadata ?? {}, live, targetId),
    IamRoleArn:
      iamRole ??
      `arn:${target.partition}:iam::${target.account}:role/service-role/AWSBackupDefaultServiceRole`,
    ResourceType: 'Aurora',
    IdempotencyToken: targetId,
    CopySourceTagsToRestoredResource: true,
  };
  const started = await gate.run('backup:StartRestoreJob', request, () =>
    backup.send(new StartRestoreJobCommand(request)),
  );
  if (!started) return;
  const jobId = started.RestoreJobId ?? '';
  runtime.terminal.out(`Restore job ${jobId} started.`);
  await waitFor(
    runtime,
    {
      what: `restore job ${jobId}`,
      fix: `aws backup describe-restore-job --restore-job-id ${jobId} --region ${target.region}`,
    },
    async () => {
      const job = await backup.send(new DescribeRestoreJobCommand({ RestoreJobId: jobId }));
      const status = job.Status ?? 'UNKNOWN';
      return {
        status: job.PercentDone ? `${status} ${job.PercentDone}` : status,
        done: status === 'COMPLETED',
        failure:
          status === 'FAILED' || status === 'ABORTED'
            ? `${status}: ${job.StatusMessage ?? 'no message'}`
            : undefined,
      };
    },
  );
}

function printNextSteps(
  runtime: RecoveryRuntime,
  target: RecoveryTarget,
  targetId: string,
  instance: string,
  endpoint: string | undefined,
): void {
  const r = target.region;
  runtime.terminal.out(
    [
      '',
      `Restored cluster ${targetId} is available.`,
      `  writer endpoint: ${endpoint ?? '(not reported; see the RDS console)'}`,
      '',
      'Next steps:',
      `  1. Verify: connect to the writer endpoint (same credentials and IAM auth as the live cluster) and check the rows you expect, e.g. the newest updated_at per tenant.`,
      `  2. Either copy the missing or damaged rows back into the live cluster (pg_dump --data-only --table ... | psql), or point the application at ${targetId} (change its database endpoint and redeploy).`,
      `  3. When done, delete the restored cluster (it costs money and holds a copy of tenant data):`,
      `       aws rds delete-db-instance --region ${r} --db-instance-identifier ${instance}`,
      `       aws rds modify-db-cluster --region ${r} --db-cluster-identifier ${targetId} --no-deletion-protection --apply-immediately`,
      `       aws rds delete-db-cluster --region ${r} --db-cluster-identifier ${targetId} --skip-final-snapshot`,
    ].join('\n'),
  );
}
