import type { PurgeRequest, PurgeResult } from '../shared/archive/purge-tenant';
import type { LifecycleJob } from '../shared/lifecycle/rules';
import { completePurge } from '../shared/lifecycle/rules';
import type { WorkerBase } from '../shared/tenant-registry/worker-steps';
import { admitJob, completeJob } from '../shared/tenant-registry/worker-steps';

export interface PurgeWorkerDeps extends WorkerBase {
  /** The purge engine (`purgeTenant` with its deps bound). */
  readonly purge: (req: PurgeRequest) => Promise<PurgeResult>;
}

/**
 * One purge job: only for a PURGING tenant past its purge date with the job's archiveId; the
 * engine deletes every archive version and verifies; then PURGING -> PURGED (tombstone).
 */
export async function processPurgeJob(deps: PurgeWorkerDeps, job: LifecycleJob): Promise<string> {
  const admitted = await admitJob(deps, job);
  if (!admitted.run) return 'already-done';
  const result = await deps.purge({ tenantId: job.tenantId, archiveId: job.archiveId });
  deps.logger.info('archive purged', {
    tenantId: job.tenantId,
    archiveId: job.archiveId,
    deletedVersions: result.deletedVersions,
  });
  return completeJob(deps, job, (record, now) =>
    completePurge(record, {
      archiveId: job.archiveId,
      now,
      deletedVersions: result.deletedVersions,
    }),
  );
}
