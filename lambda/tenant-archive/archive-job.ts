import type {
  ArchiveBudget,
  ArchiveCheckpoint,
  ArchiveRequest,
  ArchiveResult,
} from '../shared/archive/archive-tenant';
import { JobInProgress } from '../shared/lifecycle/job-batch';
import type { LifecyclePolicy } from '../shared/lifecycle/policy';
import type { LifecycleJob } from '../shared/lifecycle/rules';
import { releaseLease } from '../shared/lifecycle/lease';
import { claimedRetainUntil, completeArchive } from '../shared/lifecycle/rules';
import type { WriterCheck } from '../shared/lifecycle/writer-region';
import type { WorkerBase } from '../shared/tenant-registry/worker-steps';
import { admitJob, completeJob } from '../shared/tenant-registry/worker-steps';
import { changeLease, renewAtCheckpoint } from '../shared/tenant-registry/lease-change';

export interface ArchiveWorkerDeps extends WorkerBase {
  readonly policy: LifecyclePolicy;
  /** The archive engine (`archiveTenant` with its deps bound). */
  readonly archive: (
    req: ArchiveRequest,
    budget?: ArchiveBudget,
  ) => Promise<ArchiveResult | ArchiveCheckpoint>;
  /**
   * Whether the database this worker connects to (its region's cluster) is the writer:
   * `pg_is_in_recovery()` on the worker's own connection (writer-region.ts).
   */
  readonly writer: WriterCheck;
}

/**
 * One archive job: only for an ARCHIVING tenant with the job's archiveId; the engine writes,
 * verifies and only then deletes the live data; then ARCHIVING -> ARCHIVED with the purge date.
 * The lock end is the one fixed at the claim (never this try's clock), so a retry converges.
 *
 * - A job a later claim superseded (its `claim` is older than the registry's) does nothing: the
 *   later claim's job holds the lease and does the work.
 * - In a region whose cluster is not the writer (a switchover came between the claim and this
 *   delivery), the job is given back: its lease ends now, the writer region's next sweep
 *   re-claims the tenant, and its worker continues from the stored progress.
 * - At every checkpoint the lease is renewed (only by its holder), so a tenant larger than the
 *   lease is never re-claimed, and so never archived twice at once, while it still progresses.
 */
export async function processArchiveJob(
  deps: ArchiveWorkerDeps,
  job: LifecycleJob,
  /** This invocation's time (in Lambda, from its context); the engine checkpoints before it ends. */
  budget?: ArchiveBudget,
): Promise<string> {
  const admitted = await admitJob(deps, job);
  if (!admitted.run) return 'already-done';
  const claims = admitted.record.claimCount ?? 1;
  if (job.claim !== undefined && claims > job.claim) {
    deps.logger.info('job superseded by a later claim; the later job archives', {
      tenantId: job.tenantId,
      jobClaim: job.claim,
      registryClaim: claims,
    });
    return 'superseded';
  }
  const role = await deps.writer();
  if (!role.writer) {
    const released = await changeLease(deps, job.tenantId, (record, now) =>
      releaseLease(record, job, now),
    );
    deps.logger.warn('region is not the database writer: job given back to the writer region', {
      tenantId: job.tenantId,
      archiveId: job.archiveId,
      writerDetail: role.detail,
      released: released.ok ? released.dueAt : released.code,
    });
    return 'handed-back';
  }
  const retainUntil = claimedRetainUntil(admitted.record, deps.policy);
  const result = await deps.archive(
    { tenantId: job.tenantId, archiveId: job.archiveId, retainUntil },
    budget,
  );
  if (result.status === 'in-progress') {
    const renewed = await renewAtCheckpoint(deps, job);
    if (renewed === 'lease-lost') return renewed;
    throw new JobInProgress(
      `archive ${job.archiveId} of tenant ${job.tenantId} checkpointed before ${result.next}; lease renewed until ${renewed.dueAt}`,
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
