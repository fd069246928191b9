import type { ArchiveBudget } from '../shared/archive/contracts';
import type { PurgeLockCheck } from '../shared/archive/purge-lock-check';
import { decodeLockCheck, encodeLockCheck } from '../shared/archive/purge-lock-check';
import type { PurgeCheckpoint, PurgeRequest, PurgeResult } from '../shared/archive/purge-tenant';
import { JobInProgress } from '../shared/lifecycle/job-batch';
import type { PurgeCheckpointRecord } from '../shared/lifecycle/lease';
import type { LifecyclePolicy } from '../shared/lifecycle/policy';
import type { LifecycleJob } from '../shared/lifecycle/rules';
import { completePurge } from '../shared/lifecycle/rules';
import type { TenantRecord } from '../shared/lifecycle/tenant';
import { renewAtCheckpoint } from '../shared/tenant-registry/lease-change';
import type { WorkerBase } from '../shared/tenant-registry/worker-steps';
import type { UsersDeleted } from '../shared/tenant-registry/tenant-users';
import { admitJob, completeJob } from '../shared/tenant-registry/worker-steps';

export interface PurgeWorkerDeps extends WorkerBase {
  /** The lease length a checkpoint renews (the sweep's `LEASE_MINUTES`). */
  readonly policy: LifecyclePolicy;
  /** The purge engine (`purgeTenant` with its deps bound). */
  readonly purge: (
    req: PurgeRequest,
    budget?: ArchiveBudget,
  ) => Promise<PurgeResult | PurgeCheckpoint>;
  /** Deletes the tenant's Cognito users and group (`deleteTenantUsers` with its pool bound). */
  readonly deleteUsers: (tenantId: string) => Promise<UsersDeleted>;
}

/**
 * One purge job: only for a PURGING tenant past its purge date with the job's archiveId; the
 * engine deletes every archive version and verifies, the tenant's Cognito users and group are
 * deleted (both idempotent, so a retry converges); then PURGING -> PURGED (tombstone).
 *
 * As the archive worker does (archive-job.ts): a job a later claim superseded does nothing, and
 * when the engine checkpoints (out of time) the lease is renewed, only by its holder, so that a
 * purge longer than the lease is never re-claimed, and so never run by two jobs at once, while it
 * still progresses; a job whose lease was taken meanwhile stops and leaves the rest to the holder.
 * The checkpoint's lock check progress is saved in the same registry write (`purgeLockCheck`) and
 * handed to the engine by the next delivery, so a lock check longer than one invocation continues
 * where it stopped; a progress that cannot be read is ignored (the check starts from the first
 * version, which is always safe).
 */
export async function processPurgeJob(
  deps: PurgeWorkerDeps,
  job: LifecycleJob,
  /** This invocation's time (in Lambda, from its context); the engine checkpoints before it ends. */
  budget?: ArchiveBudget,
): Promise<string> {
  const admitted = await admitJob(deps, job);
  if (!admitted.run) return 'already-done';
  const claims = admitted.record.claimCount ?? 1;
  if (job.claim !== undefined && claims > job.claim) {
    deps.logger.info('job superseded by a later claim; the later job purges', {
      tenantId: job.tenantId,
      jobClaim: job.claim,
      registryClaim: claims,
    });
    return 'superseded';
  }
  const lockCheck = savedLockCheck(deps, admitted.record);
  const result = await deps.purge(
    { tenantId: job.tenantId, archiveId: job.archiveId, ...(lockCheck ? { lockCheck } : {}) },
    budget,
  );
  if ('status' in result) {
    const renewed = await renewAtCheckpoint(deps, job, toRecord(result.lockCheck));
    if (renewed === 'lease-lost') return renewed;
    throw new JobInProgress(
      `purge ${job.archiveId} of tenant ${job.tenantId} checkpointed after ${result.deletedVersions} versions; lease renewed until ${renewed.dueAt}`,
    );
  }
  deps.logger.info('archive purged', {
    tenantId: job.tenantId,
    archiveId: job.archiveId,
    deletedVersions: result.deletedVersions,
  });
  const users = await deps.deleteUsers(job.tenantId);
  deps.logger.info('tenant users deleted', { tenantId: job.tenantId, ...users });
  return completeJob(deps, job, (record, now) =>
    completePurge(record, {
      archiveId: job.archiveId,
      now,
      deletedVersions: result.deletedVersions,
      deletedUsers: users.deleted,
    }),
  );
}

/** The lock check progress the last checkpoint saved, unless there is none or it is unreadable. */
function savedLockCheck(deps: PurgeWorkerDeps, record: TenantRecord): PurgeLockCheck | undefined {
  if (record.purgeLockCheck === undefined) return undefined;
  const saved = decodeLockCheck(record.purgeLockCheck);
  if (!('problem' in saved)) return saved;
  deps.logger.warn('saved purge lock check ignored: the check starts from the first version', {
    tenantId: record.tenantId,
    reason: saved.problem,
  });
  return undefined;
}

function toRecord(check: PurgeLockCheck | undefined): PurgeCheckpointRecord | undefined {
  if (!check) return undefined;
  const { versions, checked, deleted } = check;
  return {
    purgeLockCheck: encodeLockCheck(check),
    details: { lockCheckVersions: versions, lockChecked: checked, deletedSoFar: deleted },
  };
}
