import type { PoolClient } from 'pg';
import type { ArchiveBudget, ArchiveDeps } from './contracts';
import { DEFAULT_SCHEMA, outOfTime, tuningOf } from './contracts';
import { abortUploads, listPendingUploads } from './archive-inspect';
import type { ArchiveProgress } from './archive-progress';
import {
  discardProgress,
  PROGRESS_FORMAT,
  pinnedVersions,
  readProgress,
  writeProgress,
} from './archive-progress';
import { ArchiveError, isArchiveError } from './errors';
import { copyFiles, listCurrentFiles } from './file-copy';
import { planLiveVersions } from './live-versions';
import { archivePrefix, progressKey, tableKey } from './keys';
import type { StoredManifest } from './manifest';
import { buildManifest, writeManifest } from './manifest';
import { deleteVersions, listAllVersions } from './object-versions';
import { drainOnConnections } from './connection-workers';
import { chunkRanges, planChunkBoundaries, selfReferencingTables } from './table-chunks';
import { exportTable } from './table-export';
import type { TenantTable } from './tenant-tables';
import { beginTenantTransaction, discoverTenantTables, qualified } from './tenant-tables';

/** What `buildArchive` returns when the budget ran short: the progress is saved. */
export interface BuildCheckpoint {
  readonly status: 'in-progress';
  readonly progress: ArchiveProgress;
}

/**
 * Clears what a crashed run left under an archive prefix that has no manifest: incomplete
 * multipart uploads, and objects that the saved progress does not pin (a table or file written
 * after the last checkpoint). Locks are put only after the manifest exists, so everything
 * cleared is unlocked; a locked leftover fails the run for a human to review.
 */
async function clearUnpinned(
  deps: ArchiveDeps,
  prefix: string,
  progress: ArchiveProgress | undefined,
): Promise<void> {
  const keep = progress ? pinnedVersions(progress) : new Set<string>();
  const progressObject = progress ? progressKey(progress.tenantId, progress.archiveId) : '';
  const uploads = await listPendingUploads(deps.s3, deps.archiveBucket, prefix);
  const versions = (await listAllVersions(deps.s3, deps.archiveBucket, prefix)).filter(
    (v) => v.key !== progressObject && !keep.has(`${v.key}@${v.versionId}`),
  );
  if (uploads.length === 0 && versions.length === 0) return;
  deps.logger.warn('partial archive without manifest found: clearing what no checkpoint pins', {
    prefix,
    versions: versions.length,
    pendingUploads: uploads.length,
  });
  await abortUploads(deps.s3, deps.archiveBucket, uploads);
  try {
    await deleteVersions(deps.s3, deps.archiveBucket, versions);
  } catch (error) {
    if (!isArchiveError(error, 'DELETE_REFUSED')) throw error;
    throw new ArchiveError(
      'ARCHIVE_INTEGRITY',
      `partial archive ${prefix} holds objects that cannot be deleted (locked?): review by hand`,
      { cause: error.message },
    );
  }
}

/**
 * The first run's plan: the tenant tables and the chunks of each (cut points every
 * `tuning.chunkRows` rows of primary key order), the exact current file versions to copy and every
 * version of both file buckets (all that may be deleted), fixed once and saved, with the
 * creation time and the lock end. A tenant with no rows and no files gets an archive too (empty
 * table exports and no files): the job finishes instead of being refused on every claim. A file
 * only in the secondary region is refused (planLiveVersions).
 */
async function planArchive(
  deps: ArchiveDeps,
  tenantId: string,
  archiveId: string,
  retainUntil: Date,
): Promise<ArchiveProgress> {
  const schema = deps.schema ?? DEFAULT_SCHEMA;
  const client = await deps.db.connect();
  try {
    await beginTenantTransaction(client, tenantId, 'read');
    const discovered = await discoverTenantTables(client, schema);
    for (const t of discovered.filter((d) => !d.rowSecurity || !d.rowSecurityForced)) {
      deps.logger.warn('tenant table without forced row-level security', { table: t.name });
    }
    let tablesWithRows = 0;
    const { chunkRows } = tuningOf(deps);
    const selfReferencing = await selfReferencingTables(client, schema);
    const chunks: Record<string, string[]> = {};
    for (const t of discovered) {
      const found = await client.query<{ found: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM ${qualified(schema, t.name)} WHERE tenant_id = $1) AS found`,
        [tenantId],
      );
      if (!found.rows[0]?.found) continue;
      tablesWithRows++;
      const cuts = await planChunkBoundaries(
        client,
        schema,
        t,
        tenantId,
        chunkRows,
        selfReferencing.has(t.name),
      );
      if (cuts.length > 0) chunks[t.name] = cuts;
    }
    await client.query('COMMIT');
    const files = await listCurrentFiles(deps.s3, deps.filesBucket, tenantId);
    const liveVersions = await planLiveVersions(deps, tenantId);
    if (tablesWithRows === 0 && files.length === 0 && liveVersions.primary.length === 0) {
      // A claimed tenant that never wrote anything (or whose data is gone): the archive says so.
      deps.logger.warn('tenant has no rows and no files: archiving an empty manifest', {
        tenantId,
        archiveId,
        tenantTables: discovered.length,
      });
    }
    return {
      format: PROGRESS_FORMAT,
      tenantId,
      archiveId,
      schema,
      createdAt: deps.clock().toISOString(),
      retainUntil: retainUntil.toISOString(),
      tables: discovered.map((t) => t.name),
      chunks,
      files,
      liveVersions,
      exported: [],
      copied: [],
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** `<table>#<chunk>`: one unit of the export (and of the deletion). */
const unitOf = (table: string, chunk: number): string => `${table}#${chunk}`;

/**
 * Exports the planned chunks not exported yet, on up to `tuning.connections` connections (each in
 * its own read-only snapshot of the frozen tenant), saving the progress after each chunk; false
 * if out of time. Fault steps: `export:<table>#<chunk>` after each chunk, `export:<table>` after
 * a table's last.
 */
async function exportTables(
  deps: ArchiveDeps,
  state: { progress: ArchiveProgress },
  budget: ArchiveBudget | undefined,
): Promise<boolean> {
  const { tenantId, archiveId, schema } = state.progress;
  const done = new Set(state.progress.exported.map((t) => unitOf(t.table, t.chunk?.index ?? 1)));
  const units = state.progress.tables
    .flatMap((name) =>
      chunkRanges(state.progress.chunks?.[name] ?? []).map((range) => ({ name, range })),
    )
    .filter((u) => !done.has(unitOf(u.name, u.range.index)));
  if (units.length === 0) return true;
  const tuning = tuningOf(deps);
  const tablesOf = new WeakMap<PoolClient, Map<string, TenantTable>>();
  let saved: Promise<void> = Promise.resolve();
  // One write at a time, each of the latest progress (every chunk finished so far).
  const save = (): Promise<void> =>
    (saved = saved.then(() => writeProgress(deps.s3, deps.archiveBucket, state.progress)));
  return drainOnConnections(deps.db, units, tuning.connections, {
    stop: () => outOfTime(budget),
    open: async (client) => {
      await beginTenantTransaction(client, tenantId, 'read');
      const found = await discoverTenantTables(client, schema);
      tablesOf.set(client, new Map(found.map((t) => [t.name, t])));
    },
    item: async (client, { name, range }) => {
      const table = tablesOf.get(client)?.get(name);
      if (!table) {
        throw new ArchiveError(
          'ARCHIVE_INTEGRITY',
          `tenant table ${name} was dropped while tenant ${tenantId} was being archived`,
        );
      }
      const exported = await exportTable(
        client,
        schema,
        table,
        tenantId,
        {
          s3: deps.s3,
          bucket: deps.archiveBucket,
          key: tableKey(tenantId, archiveId, name, range),
          fetchRows: tuning.fetchRows,
          partSizeBytes: tuning.partSizeBytes,
        },
        range,
      );
      state.progress = { ...state.progress, exported: [...state.progress.exported, exported] };
      const tableDone =
        state.progress.exported.filter((t) => t.table === name).length === range.count;
      await save();
      deps.logger.info('exported tenant table', {
        tenantId,
        table: name,
        ...(range.count > 1 ? { chunk: range.index, chunks: range.count } : {}),
        rows: exported.rows,
        bytes: exported.bytes,
      });
      await deps.faults?.(`export:${name}#${range.index}`);
      if (tableDone) await deps.faults?.(`export:${name}`);
    },
    close: async (client) => {
      await client.query('COMMIT');
    },
  });
}

/** Copies the planned file versions not copied yet, a chunk per checkpoint; false if out of time. */
async function copyPlannedFiles(
  deps: ArchiveDeps,
  state: { progress: ArchiveProgress },
  budget: ArchiveBudget | undefined,
): Promise<boolean> {
  const { tenantId, archiveId } = state.progress;
  const tuning = tuningOf(deps);
  const done = new Set(state.progress.copied.map((f) => `${f.sourceKey}@${f.sourceVersionId}`));
  const pending = state.progress.files.filter((f) => !done.has(`${f.key}@${f.versionId}`));
  for (let start = 0; start < pending.length; start += tuning.filesPerCheckpoint) {
    if (outOfTime(budget)) return false;
    const chunk = pending.slice(start, start + tuning.filesPerCheckpoint);
    const copied = await copyFiles(
      {
        s3: deps.s3,
        sourceBucket: deps.filesBucket,
        archiveBucket: deps.archiveBucket,
        tenantId,
        archiveId,
        concurrency: tuning.concurrency,
        maxSingleCopyBytes: tuning.maxSingleCopyBytes,
        partSizeBytes: tuning.partSizeBytes,
        firstIndex: state.progress.copied.length + 1,
        ...(deps.faults ? { faults: deps.faults } : {}),
      },
      chunk,
    );
    state.progress = { ...state.progress, copied: [...state.progress.copied, ...copied] };
    await writeProgress(deps.s3, deps.archiveBucket, state.progress);
  }
  deps.logger.info('copied tenant files', { tenantId, files: state.progress.copied.length });
  await deps.faults?.('copy:done');
  return true;
}

/**
 * Builds an archive, resuming from its saved progress: the first run fixes the plan (tables and
 * their chunks, exact file versions, creation time, lock end) and saves it; each chunk's export
 * and each batch of file copies is saved as it completes. A rerun clears only what no checkpoint pins and
 * continues; a `retainUntil` that differs from the plan's is ignored (the plan wins). With the
 * manifest written (last, conditionally), the progress is discarded.
 * Fault steps: `export:<table>#<chunk>` and `export:<table>`, `copy:<n>` and `copy:done`, `manifest`.
 */
export async function buildArchive(
  deps: ArchiveDeps,
  tenantId: string,
  archiveId: string,
  retainUntil: Date,
  budget?: ArchiveBudget,
): Promise<StoredManifest | BuildCheckpoint> {
  const prefix = archivePrefix(tenantId, archiveId);
  const saved = await readProgress(deps.s3, deps.archiveBucket, tenantId, archiveId);
  const state = { progress: saved ?? (await planArchive(deps, tenantId, archiveId, retainUntil)) };
  if (saved) {
    deps.logger.warn('partial archive without manifest found: resuming from its checkpoint', {
      prefix,
      tablesDone: saved.exported.length,
      filesDone: saved.copied.length,
    });
  }
  await clearUnpinned(deps, prefix, saved);
  if (!saved) await writeProgress(deps.s3, deps.archiveBucket, state.progress);
  else if (saved.retainUntil !== retainUntil.toISOString()) {
    deps.logger.warn('request disagrees with the saved plan on retainUntil: using the plan', {
      tenantId,
      archiveId,
      plan: saved.retainUntil,
      requested: retainUntil.toISOString(),
    });
  }

  if (!(await exportTables(deps, state, budget))) return { status: 'in-progress', ...state };
  if (!(await copyPlannedFiles(deps, state, budget))) return { status: 'in-progress', ...state };

  const { progress } = state;
  const manifest = buildManifest({
    tenantId,
    archiveId,
    schema: progress.schema,
    createdAt: new Date(progress.createdAt),
    retainUntil: new Date(progress.retainUntil),
    tables: progress.exported,
    files: progress.copied,
    liveVersions: progress.liveVersions,
  });
  // Exactly the pinned objects may sit under the prefix; anything else is a concurrent run.
  const planned = pinnedVersions(progress);
  const present = (await listAllVersions(deps.s3, deps.archiveBucket, prefix)).filter(
    (r) => r.key !== progressKey(tenantId, archiveId),
  );
  const strangers = present.filter((r) => !planned.has(`${r.key}@${r.versionId}`));
  if (strangers.length > 0 || present.length !== planned.size) {
    throw new ArchiveError(
      'ARCHIVE_CONFLICT',
      `${prefix} changed while it was written (${strangers.length} unexpected versions): concurrent run?`,
    );
  }
  const stored = await writeManifest(deps.s3, deps.archiveBucket, manifest);
  await discardProgress(deps.s3, deps.archiveBucket, tenantId, archiveId);
  deps.logger.info('archive manifest written', { tenantId, archiveId, key: stored.key });
  await deps.faults?.('manifest');
  return stored;
}
