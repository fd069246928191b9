import { lockArchive } from './archive-lock';
import { buildArchive } from './archive-build';
import { inspectTenantArchives } from './archive-inspect';
import { verifyArchive } from './archive-verify';
import { discardProgress } from './archive-progress';
import type { ArchiveBudget, ArchiveDeps } from './contracts';
import { outOfTime, tuningOf } from './contracts';
import { ArchiveError } from './errors';
import { assertArchiveId, assertTenantId, tenantFilesPrefix } from './keys';
import { readManifest } from './manifest';
import { assertNoNewVersions, deletePlannedVersions } from './live-versions';
import { deleteEveryVersion } from './object-versions';
import { deleteTenantRows } from './row-deletion';
import { freezeTenant } from './tenant-freeze';

export type { ArchiveBudget, ArchiveDeps } from './contracts';

export interface ArchiveRequest {
  tenantId: string;
  archiveId: string;
  /** End of the COMPLIANCE retention of every archive object: the purge date. */
  retainUntil: Date;
}

export interface ArchiveResult {
  status: 'complete';
  archiveId: string;
  manifestKey: string;
  /** Rows archived per tenant table (from the manifest). */
  rowCounts: Record<string, number>;
  /** Data objects in the archive (table exports plus file copies), the manifest excluded. */
  objectCount: number;
  /** The lock end the archive actually carries (the manifest's, when it already existed). */
  retainUntil: Date;
}

/** The invocation ran short of time: progress is saved, a rerun of the same request continues. */
export interface ArchiveCheckpoint {
  status: 'in-progress';
  archiveId: string;
  /** The phase the next run starts with. */
  next: 'build' | 'delete-rows' | 'delete-files';
}

function assertRequest(req: ArchiveRequest): void {
  if (typeof req !== 'object' || req === null) {
    throw new ArchiveError('INVALID_REQUEST', 'archive request must be an object');
  }
  assertTenantId(req.tenantId);
  assertArchiveId(req.archiveId);
  if (!(req.retainUntil instanceof Date) || Number.isNaN(req.retainUntil.getTime())) {
    throw new ArchiveError('INVALID_REQUEST', 'retainUntil must be a valid Date');
  }
}

/**
 * Archives one tenant, then removes its live data. Safe to rerun after a crash at any point:
 *
 * 0. Freeze the tenant for writes in the database (`tenant-freeze.ts`), on every run.
 * 1. Refuse if the tenant has any other archive (complete or partial) under `archive/<t>/`.
 * 2. If `archive/<t>/<a>/manifest.json` exists, it is authoritative (the export finished, and the
 *    live data may already be partly deleted), its `retainUntil` included: go to 3. Otherwise
 *    build the archive from its saved progress (`archive-build.ts`): the first run fixes the plan
 *    (tables and their chunks, exact file versions, lock end) and every chunk of a table and
 *    batch of files is checkpointed;
 *    the manifest is written last (conditionally).
 * 3. Lock every object version the manifest pins, and the manifest itself (COMPLIANCE).
 * 4. Verify: exact version set, sizes, SHA-256, row counts, locks. Only then:
 * 5. delete live rows, one transaction per chunk of a table (`tuning.chunkRows` rows of primary
 *    key order, fixed by the plan), count and digest checked against the manifest's chunk;
 * 6. delete exactly the versions and delete markers under `tenants/<t>/` that the plan found in
 *    the primary file bucket, 7. and in its replica; a version that appeared since fails the run
 *    with FILES_CHANGED (checked before the rows are deleted, and again before each bucket).
 *
 * With a `budget`, no step starts when the invocation is nearly out of time: the run returns
 * `in-progress` and the next run of the same request continues where this one stopped.
 */
export async function archiveTenant(deps: ArchiveDeps, req: ArchiveRequest): Promise<ArchiveResult>;
export async function archiveTenant(
  deps: ArchiveDeps,
  req: ArchiveRequest,
  budget: ArchiveBudget | undefined,
): Promise<ArchiveResult | ArchiveCheckpoint>;
export async function archiveTenant(
  deps: ArchiveDeps,
  req: ArchiveRequest,
  budget?: ArchiveBudget,
): Promise<ArchiveResult | ArchiveCheckpoint> {
  assertRequest(req);
  const { tenantId, archiveId } = req;
  const tuning = tuningOf(deps);
  const log = { tenantId, archiveId };

  // Writes stop before anything is read: what the export sees is what the tenant has.
  if (await freezeTenant(deps.db, tenantId, archiveId)) {
    deps.logger.info('tenant frozen for writes', log);
  }
  await deps.faults?.('freeze');

  const archives = await inspectTenantArchives(deps, tenantId);
  const others = archives.filter((a) => a.archiveId !== archiveId);
  if (others.length > 0) {
    const listed = others.map((a) => `${a.archiveId} (${a.complete ? 'complete' : 'partial'})`);
    throw new ArchiveError(
      'ARCHIVE_CONFLICT',
      `tenant ${tenantId} already has archive ${listed.join(', ')}; refusing to start ${archiveId}`,
      { others },
    );
  }

  const pause = (next: ArchiveCheckpoint['next']): ArchiveCheckpoint => {
    deps.logger.info('archive paused: out of time, progress saved', { ...log, next });
    return { status: 'in-progress', archiveId, next };
  };
  let stored = await readManifest(deps.s3, deps.archiveBucket, tenantId, archiveId);
  const freshlyWritten = !stored;
  if (stored) {
    // A crash between the manifest and discarding the progress leaves the progress behind.
    await discardProgress(deps.s3, deps.archiveBucket, tenantId, archiveId);
    if (stored.manifest.retainUntil !== req.retainUntil.toISOString()) {
      // The manifest is authoritative and never rewritten: converge on its lock end.
      deps.logger.warn('request disagrees with the manifest on retainUntil: using the manifest', {
        ...log,
        manifest: stored.manifest.retainUntil,
        requested: req.retainUntil.toISOString(),
      });
    }
    deps.logger.info('archive manifest exists: verifying it and continuing', log);
  } else {
    if (req.retainUntil.getTime() <= deps.clock().getTime()) {
      throw new ArchiveError('INVALID_REQUEST', 'retainUntil must be in the future');
    }
    const built = await buildArchive(deps, tenantId, archiveId, req.retainUntil, budget);
    if ('status' in built) return pause('build');
    stored = built;
  }

  const locked = await lockArchive(
    deps.s3,
    deps.archiveBucket,
    stored,
    tuning.concurrency,
    freshlyWritten,
  );
  deps.logger.info('archive locked', { ...log, newlyLocked: locked });
  await deps.faults?.('lock');

  await verifyArchive(deps.s3, deps.archiveBucket, stored, tuning.concurrency);
  deps.logger.info('archive verified', { ...log, objects: stored.manifest.objectCount });
  await deps.faults?.('verify');

  const plan = stored.manifest.liveVersions;
  // A version written since the plan is not archived: fail before deleting anything more.
  if (plan) await assertNoNewVersions(deps, tenantId, plan);
  const rows = await deleteTenantRows(deps, stored.manifest, () => outOfTime(budget));
  if (!rows.complete) return pause('delete-rows');
  if (outOfTime(budget)) return pause('delete-files');
  const prefix = tenantFilesPrefix(tenantId);
  if (!plan) deps.logger.warn('manifest without liveVersions: deleting every version', log);
  const primary = plan
    ? await deletePlannedVersions(deps.s3, deps.filesBucket, tenantId, plan.primary)
    : await deleteEveryVersion(deps.s3, deps.filesBucket, prefix);
  deps.logger.info('deleted file versions', {
    ...log,
    bucket: deps.filesBucket,
    versions: primary,
  });
  await deps.faults?.('delete-files:primary');
  const replica = plan
    ? await deletePlannedVersions(deps.replicaS3, deps.filesReplicaBucket, tenantId, plan.replica)
    : await deleteEveryVersion(deps.replicaS3, deps.filesReplicaBucket, prefix);
  deps.logger.info('deleted file versions', {
    ...log,
    bucket: deps.filesReplicaBucket,
    versions: replica,
  });
  await deps.faults?.('delete-files:replica');

  return {
    status: 'complete',
    archiveId,
    manifestKey: stored.key,
    rowCounts: { ...stored.manifest.rowCounts },
    objectCount: stored.manifest.objectCount,
    retainUntil: new Date(stored.manifest.retainUntil),
  };
}
