import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { mapBounded } from './bounded-concurrency';
import type { PurgeDeps } from './contracts';
import { tuningOf } from './contracts';
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

/**
 * Permanently deletes one archive at its purge date. Before deleting anything it checks the
 * retention of every version: if any is still locked (by the clock), it fails with
 * PURGE_TOO_EARLY and deletes nothing. Then it deletes the data objects, the manifest last (a
 * crash in between leaves a listable remainder that a rerun finishes), lists again and fails
 * unless nothing is left. A delete S3 refuses fails the run; it is never ignored.
 * Fault steps: `purge:objects`, `purge:manifest`, `purge:verify`.
 */
export async function purgeTenant(deps: PurgeDeps, req: PurgeRequest): Promise<PurgeResult> {
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
  let deleted = await deleteVersions(
    deps.s3,
    deps.archiveBucket,
    versions.filter((v) => v.key !== manifest),
  );
  await deps.faults?.('purge:objects');
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
