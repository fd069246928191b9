import type {
  ArchiveBudget,
  ArchiveCheckpoint,
  ArchiveRequest,
  ArchiveResult,
} from '../shared/archive/archive-tenant';
import { JobInProgress } from '../shared/lifecycle/job-batch';
import type { LifecyclePolicy } from '../shared/lifecycle/policy';
import type { LifecycleJob } from '../shared/lifecycle/rules';
import { claimedRetainUntil, completeArchive } from '../shared/lifecycle/rules';
import type { WorkerBase } from '../shared/tenant-registry/worker-steps';
import { admitJob, completeJob } from '../shared/tenant-registry/worker-steps';

export interface ArchiveWorkerDeps extends WorkerBase {
  readonly policy: LifecyclePolicy;
  /** The archive engine (`archiveTenant` with its deps bound). */
  readonly archive: (
    req: ArchiveRequest,
    budget?: ArchiveBudget,
  ) => Promise<ArchiveResult | ArchiveCheckpoint>;
}

/**
 * One archive job: only for an ARCHIVING tenant with the job's archiveId; the engine writes,
 * verifies and only then deletes the live data; then ARCHIVING -> ARCHIVED with the purge date.
 * The lock end is the one fixed at the claim (never this try's clock), so a retry converges.
 */
export async function processArchiveJob(
  deps: ArchiveWorkerDeps,
  job: LifecycleJob,
  /** This invocation's time (in Lambda, from its context); the engine checkpoints before it ends. */
  budget?: ArchiveBudget,
): Promise<string> {
  const admitted = await admitJob(deps, job);
  if (!admitted.run) return 'already-done';
  const retainUntil = claimedRetainUntil(admitted.record, deps.policy);
  const result = await deps.archive(
    { tenantId: job.tenantId, archiveId: job.archiveId, retainUntil },
    budget,
  );
  if (result.status === 'in-progress') {
    throw new JobInProgress(
      `archive ${job.archiveId} of tenant ${job.tenantId} checkpointed before ${result.next}`,
    );
  }
  deps.logger.info('archive written', {
    tenantId: job.tenantId,
    archiveId: result.archiveId,
    objectCount: result.objectCount,
    tables: Object.keys(result.rowCounts).length,
  });
  return completeJob(deps, job, (record, now) =>
    completeArchive(
      record,
      {
        archiveId: job.archiveId,
        now,
        retainUntil: result.retainUntil,
        manifestKey: result.manifestKey,
        rowCounts: result.rowCounts,
        objectCount: result.objectCount,
      },
      deps.policy,
    ),
  );
}
