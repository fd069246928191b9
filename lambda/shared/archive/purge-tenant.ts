import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { mapBounded } from './bounded-concurrency';
import type { ArchiveBudget, PurgeDeps } from './contracts';
import { outOfTime, tuningOf } from './contracts';
import { ArchiveError } from './errors';
import { archivePrefix, assertArchiveId, assertTenantId, manifestKey } from './keys';
import { deleteVersions, listAllVersions } from './object-versions';

export type { PurgeDeps } from './contracts';

export interface PurgeRequest {
  tenantId: string;
  archiveId: string;
}

export interface PurgeResult {
  /** Object versions and delete markers this run deleted (0 on a rerun after completion). */
  deletedVersions: number;
}

/** The invocation ran short of time: a rerun of the same request continues with what is left. */
export interface PurgeCheckpoint {
  status: 'in-progress';
  /** Versions this run deleted before it stopped. */
  deletedVersions: number;
}

/**
 * Permanently deletes one archive at its purge date. Before deleting anything it checks the
 * retention of every version: if any is still locked (by the clock), it fails with
 * PURGE_TOO_EARLY and deletes nothing. Then it deletes the data objects, the manifest last (a
 * crash in between leaves a listable remainder that a rerun finishes), lists again and fails
 * unless nothing is left. A delete S3 refuses fails the run; it is never ignored.
 * Fault steps: `purge:objects`, `purge:manifest`, `purge:verify`.
 *
 * With a `budget`, no batch of deletions (and no lock check) starts when the invocation is nearly
 * out of time: the run returns `in-progress`, and the next run lists what is left, checks its
 * locks again and continues (what is deleted is gone, so nothing is redone).
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
  const { tenantId, archiveId } = req;
  const prefix = archivePrefix(tenantId, archiveId);
  const tuning = tuningOf(deps);
  const now = deps.clock();

  const versions = await listAllVersions(deps.s3, deps.archiveBucket, prefix);
  if (versions.length === 0) {
    deps.logger.warn('nothing to purge: archive absent or already purged', { tenantId, archiveId });
    return { deletedVersions: 0 };
  }
  const pause = (deletedVersions: number): PurgeCheckpoint => {
    deps.logger.info('purge paused: out of time, a rerun continues', {
      tenantId,
      archiveId,
      deletedVersions,
    });
    return { status: 'in-progress', deletedVersions };
  };
  if (outOfTime(budget)) return pause(0);
  const objects = versions.filter((v) => !v.deleteMarker);
  const locks = await mapBounded(objects, tuning.concurrency, async (v) => {
    const head = await deps.s3.send(
      new HeadObjectCommand({ Bucket: deps.archiveBucket, Key: v.key, VersionId: v.versionId }),
    );
    const until = head.ObjectLockRetainUntilDate
      ? new Date(head.ObjectLockRetainUntilDate)
      : undefined;
    return until && until > now ? { key: v.key, until: until.toISOString() } : undefined;
  });
  const stillLocked = locks.filter((l) => l !== undefined);
  if (stillLocked.length > 0) {
    const latest = stillLocked
      .map((l) => l.until)
      .sort()
      .at(-1);
    throw new ArchiveError(
      'PURGE_TOO_EARLY',
      `${stillLocked.length} archive object(s) of ${tenantId}/${archiveId} are locked until ` +
        `${latest}; nothing was deleted`,
      { lockedUntil: latest },
    );
  }

  const manifest = manifestKey(tenantId, archiveId);
  const data = versions.filter((v) => v.key !== manifest);
  let deleted = 0;
  // The budget is checked before each batch (`tuning.filesPerCheckpoint` versions).
  const perBatch = Math.min(1000, tuning.filesPerCheckpoint);
  for (let start = 0; start < data.length; start += perBatch) {
    if (outOfTime(budget)) return pause(deleted);
    const batch = data.slice(start, start + perBatch);
    deleted += await deleteVersions(deps.s3, deps.archiveBucket, batch);
  }
  await deps.faults?.('purge:objects');
  if (outOfTime(budget)) return pause(deleted);
  deleted += await deleteVersions(
    deps.s3,
    deps.archiveBucket,
    versions.filter((v) => v.key === manifest),
  );
  await deps.faults?.('purge:manifest');

  const left = await listAllVersions(deps.s3, deps.archiveBucket, prefix);
  if (left.length > 0) {
    throw new ArchiveError(
      'DELETE_REFUSED',
      `${left.length} version(s) remain under ${prefix} after the purge, e.g. ${left[0]?.key}`,
    );
  }
  deps.logger.info('archive purged', { tenantId, archiveId, deletedVersions: deleted });
  await deps.faults?.('purge:verify');
  return { deletedVersions: deleted };
}
