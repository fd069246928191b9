import type { ArchiveBudget, PurgeDeps } from './contracts';
import { outOfTime, tuningOf } from './contracts';
import { ArchiveError } from './errors';
import { archivePrefix, assertArchiveId, assertTenantId, manifestKey } from './keys';
import type { VersionRef } from './object-versions';
import { deleteVersions, listAllVersions } from './object-versions';
import type { PurgeLockCheck } from './purge-lock-check';
import {
  checkLocks,
  checkStart,
  listingDigest,
  lockCheckProblem,
  tooEarly,
} from './purge-lock-check';

export type { PurgeDeps } from './contracts';
export type { PurgeLockCheck } from './purge-lock-check';

export interface PurgeRequest {
  tenantId: string;
  archiveId: string;
  /** The `lockCheck` of this purge's last checkpoint, if any: the check continues from it. */
  lockCheck?: PurgeLockCheck;
}

export interface PurgeResult {
  /**
   * Object versions and delete markers this purge deleted: this run's, plus those its earlier
   * runs deleted by their last checkpoint (`lockCheck.deleted`); 0 on a rerun after completion.
   */
  deletedVersions: number;
}

/** The invocation ran short of time: a rerun of the same request continues with what is left. */
export interface PurgeCheckpoint {
  status: 'in-progress';
  /** Versions this run deleted before it stopped. */
  deletedVersions: number;
  /** What the next run continues from: pass it back as the request's `lockCheck`. */
  lockCheck?: PurgeLockCheck;
}

/**
 * Permanently deletes one archive at its purge date. Before deleting anything it checks the
 * retention and legal hold of every version under the archive's prefix (one HeadObject each,
 * `tuning.concurrency` at a time): if any is still locked (by the clock) or under a legal hold, it
 * fails with PURGE_TOO_EARLY and deletes nothing. Then it deletes the data objects, the manifest
 * last (a crash in between leaves a listable remainder that a rerun finishes), lists again and
 * fails unless nothing is left. A delete S3 refuses fails the run; it is never ignored.
 * Fault steps: `purge:objects`, `purge:manifest`, `purge:verify`.
 *
 * With a `budget`, no HeadObject and no batch of deletions starts when the invocation is nearly
 * out of time: the run returns `in-progress` with a `lockCheck` (the listing's digest, how many of
 * its versions were found unlocked, how many were deleted) that the caller hands back with the
 * next run (the purge job keeps it in the registry), which continues the check where this one
 * stopped, or the deletion without checking again.
 *
 * What the runs agree on: the listing, in listing order. A run continues from the saved
 * progress only when it lists exactly the versions the progress was saved for (same digest and
 * count); otherwise (a version appeared, or some went: a crash after some deletions) it checks
 * every version it lists again, from the first, so a version that appeared after the check
 * started is checked too, never deleted unchecked. A run deletes only versions of its own
 * listing once every one of them was checked unlocked, in this run or in earlier runs of the same
 * listing; the progress counts only versions found unlocked, so a version found locked is checked
 * again by any later run.
 */
export async function purgeTenant(deps: PurgeDeps, req: PurgeRequest): Promise<PurgeResult>;
export async function purgeTenant(
  deps: PurgeDeps,
  req: PurgeRequest,
  budget: ArchiveBudget | undefined,
): Promise<PurgeResult | PurgeCheckpoint>;
export async function purgeTenant(
  deps: PurgeDeps,
  req: PurgeRequest,
  budget?: ArchiveBudget,
): Promise<PurgeResult | PurgeCheckpoint> {
  if (typeof req !== 'object' || req === null) {
    throw new ArchiveError('INVALID_REQUEST', 'purge request must be an object');
  }
  assertTenantId(req.tenantId);
  assertArchiveId(req.archiveId);
  const problem = req.lockCheck === undefined ? undefined : lockCheckProblem(req.lockCheck);
  if (problem) throw new ArchiveError('INVALID_REQUEST', problem);
  const { tenantId, archiveId } = req;
  const prefix = archivePrefix(tenantId, archiveId);
  const tuning = tuningOf(deps);
  const now = deps.clock();
  const log = { tenantId, archiveId };

  const versions = await listAllVersions(deps.s3, deps.archiveBucket, prefix);
  if (versions.length === 0) {
    deps.logger.warn('nothing to purge: archive absent or already purged', log);
    return { deletedVersions: 0 };
  }
  const digest = listingDigest(versions);
  const start = checkStart(versions, digest, req.lockCheck);
  if (start.changed) {
    deps.logger.warn('archive versions changed since the last checkpoint: checking all again', {
      ...log,
      versions: versions.length,
      atCheckpoint: req.lockCheck?.versions,
    });
  }
  /** The progress of a check of this listing that found its first `checked` versions unlocked. */
  const checking = (checked: number): PurgeLockCheck => ({
    listing: digest,
    versions: versions.length,
    checked,
    deleted: start.deleted,
  });
  const pause = (lockCheck: PurgeLockCheck, deletedVersions: number): PurgeCheckpoint => {
    deps.logger.info('purge paused: out of time, a rerun continues', {
      ...log,
      deletedVersions,
      checked: lockCheck.checked,
      versions: lockCheck.versions,
    });
    return { status: 'in-progress', deletedVersions, lockCheck };
  };
  if (outOfTime(budget)) return pause(checking(start.checked), 0);
  const check = await checkLocks({
    s3: deps.s3,
    bucket: deps.archiveBucket,
    refs: versions,
    from: start.checked,
    now,
    concurrency: tuning.concurrency,
    budget,
  });
  if (check.locked.length > 0) {
    throw tooEarly(`${tenantId}/${archiveId}`, check.locked, start.deleted > 0 || start.shrank);
  }
  deps.logger.info('archive lock check', {
    ...log,
    from: start.checked,
    checked: check.checked,
    versions: versions.length,
  });
  if (check.checked < versions.length) return pause(checking(check.checked), 0);

  const manifest = manifestKey(tenantId, archiveId);
  const data = versions.filter((v) => v.key !== manifest);
  const gone = new Set<VersionRef>();
  const remove = async (refs: readonly VersionRef[]) => {
    await deleteVersions(deps.s3, deps.archiveBucket, refs);
    for (const ref of refs) gone.add(ref);
  };
  // Every version listed is checked: a pause from here on saves what is left, all checked.
  const paused = () => {
    const left = versions.filter((v) => !gone.has(v));
    return pause(
      {
        listing: listingDigest(left),
        versions: left.length,
        checked: left.length,
        deleted: start.deleted + gone.size,
      },
      gone.size,
    );
  };
  // The budget is checked before each batch (`tuning.filesPerCheckpoint` versions).
  const perBatch = Math.min(1000, tuning.filesPerCheckpoint);
  for (let first = 0; first < data.length; first += perBatch) {
    if (outOfTime(budget)) return paused();
    await remove(data.slice(first, first + perBatch));
  }
  await deps.faults?.('purge:objects');
  if (outOfTime(budget)) return paused();
  await remove(versions.filter((v) => v.key === manifest));
  await deps.faults?.('purge:manifest');
  const deleted = start.deleted + gone.size;

  const left = await listAllVersions(deps.s3, deps.archiveBucket, prefix);
  if (left.length > 0) {
    throw new ArchiveError(
      'DELETE_REFUSED',
      `${left.length} version(s) remain under ${prefix} after the purge, e.g. ${left[0]?.key}`,
    );
  }
  deps.logger.info('archive purged', { ...log, deletedVersions: deleted });
  await deps.faults?.('purge:verify');
  return { deletedVersions: deleted };
}
