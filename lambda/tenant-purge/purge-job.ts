import type { PurgeRequest, PurgeResult } from '../shared/archive/purge-tenant';
import type { LifecycleJob } from '../shared/lifecycle/rules';
import { completePurge } from '../shared/lifecycle/rules';
import type { WorkerBase } from '../shared/tenant-registry/worker-steps';
import type { UsersDeleted } from '../shared/tenant-registry/tenant-users';
import { admitJob, completeJob } from '../shared/tenant-registry/worker-steps';

export interface PurgeWorkerDeps extends WorkerBase {
  /** The purge engine (`purgeTenant` with its deps bound). */
  readonly purge: (req: PurgeRequest) => Promise<PurgeResult>;
  /** Deletes the tenant's Cognito users and group (`deleteTenantUsers` with its pool bound). */
  readonly deleteUsers: (tenantId: string) => Promise<UsersDeleted>;
}

/**
 * One purge job: only for a PURGING tenant past its purge date with the job's archiveId; the
 * engine deletes every archive version and verifies, the tenant's Cognito users and group are
 * deleted (both idempotent, so a retry converges); then PURGING -> PURGED (tombstone).
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
