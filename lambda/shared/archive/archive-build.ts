import type { ArchiveDeps } from './contracts';
import { DEFAULT_SCHEMA, tuningOf } from './contracts';
import { abortUploads, listPendingUploads } from './archive-inspect';
import { ArchiveError, isArchiveError } from './errors';
import type { FileCopy } from './file-copy';
import { copyFiles, listCurrentFiles } from './file-copy';
import { archivePrefix, tableKey } from './keys';
import type { StoredManifest } from './manifest';
import { buildManifest, writeManifest } from './manifest';
import { deleteVersions, listAllVersions } from './object-versions';
import type { TableExport } from './table-export';
import { exportTable } from './table-export';
import { beginTenantTransaction, discoverTenantTables, qualified } from './tenant-tables';

/**
 * Clears what a crashed run left under an archive prefix that has no manifest: incomplete
 * multipart uploads, and objects that were never pinned by a manifest nor locked (locks are put
 * only after the manifest exists). The rebuild then writes the same bytes deterministically.
 * A locked leftover cannot happen through this engine: it fails the run for a human to review.
 */
async function clearPartialArchive(deps: ArchiveDeps, prefix: string): Promise<void> {
  const uploads = await listPendingUploads(deps.s3, deps.archiveBucket, prefix);
  const versions = await listAllVersions(deps.s3, deps.archiveBucket, prefix);
  if (uploads.length === 0 && versions.length === 0) return;
  deps.logger.warn('partial archive without manifest found: rebuilding it', {
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
 * Writes a complete archive (`leftovers`: the prefix holds objects or uploads of a crashed run): the tenant's rows (one REPEATABLE READ snapshot, every tenant table
 * discovered), its current files, then the manifest, last. Nothing is deleted from the live data.
 * Fault steps: `export:<table>` after each table, `copy:<n>` and `copy:done`, `manifest`.
 */
export async function buildArchive(
  deps: ArchiveDeps,
  tenantId: string,
  archiveId: string,
  retainUntil: Date,
  leftovers: boolean,
): Promise<StoredManifest> {
  const schema = deps.schema ?? DEFAULT_SCHEMA;
  const tuning = tuningOf(deps);
  const prefix = archivePrefix(tenantId, archiveId);
  const tables: TableExport[] = [];
  const client = await deps.db.connect();
  let files: FileCopy[] = [];
  try {
    await beginTenantTransaction(client, tenantId, 'read');
    const discovered = await discoverTenantTables(client, schema);
    for (const t of discovered.filter((d) => !d.rowSecurity || !d.rowSecurityForced)) {
      deps.logger.warn('tenant table without forced row-level security', { table: t.name });
    }
    let tablesWithRows = 0;
    for (const t of discovered) {
      const found = await client.query<{ found: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM ${qualified(schema, t.name)} WHERE tenant_id = $1) AS found`,
        [tenantId],
      );
      if (found.rows[0]?.found) tablesWithRows++;
    }
    const liveFiles = await listCurrentFiles(deps.s3, deps.filesBucket, tenantId);
    if (tablesWithRows === 0 && liveFiles.length === 0) {
      throw new ArchiveError(
        'NOTHING_TO_ARCHIVE',
        `tenant ${tenantId} has no rows in ${discovered.length} tenant tables, no files and no ` +
          `archive: unknown tenant, or its data was removed outside this engine`,
      );
    }
    if (leftovers) await clearPartialArchive(deps, prefix);

    for (const table of discovered) {
      const exported = await exportTable(client, schema, table, tenantId, {
        s3: deps.s3,
        bucket: deps.archiveBucket,
        key: tableKey(tenantId, archiveId, table.name),
        fetchRows: tuning.fetchRows,
        partSizeBytes: tuning.partSizeBytes,
      });
      tables.push(exported);
      deps.logger.info('exported tenant table', {
        tenantId,
        table: table.name,
        rows: exported.rows,
        bytes: exported.bytes,
      });
      await deps.faults?.(`export:${table.name}`);
    }
    await client.query('COMMIT');

    files = await copyFiles(
      {
        s3: deps.s3,
        sourceBucket: deps.filesBucket,
        archiveBucket: deps.archiveBucket,
        tenantId,
        archiveId,
        concurrency: tuning.concurrency,
        ...(deps.faults ? { faults: deps.faults } : {}),
      },
      liveFiles,
    );
    deps.logger.info('copied tenant files', { tenantId, files: files.length });
    await deps.faults?.('copy:done');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }

  const manifest = buildManifest({
    tenantId,
    archiveId,
    schema,
    createdAt: deps.clock(),
    retainUntil,
    tables,
    files,
  });
  // Exactly the objects just written may sit under the prefix; anything else is a concurrent run.
  const planned = new Set([...tables, ...files].map((o) => `${o.key}@${o.versionId}`));
  const present = await listAllVersions(deps.s3, deps.archiveBucket, prefix);
  const strangers = present.filter((r) => !planned.has(`${r.key}@${r.versionId}`));
  if (strangers.length > 0 || present.length !== planned.size) {
    throw new ArchiveError(
      'ARCHIVE_CONFLICT',
      `${prefix} changed while it was written (${strangers.length} unexpected versions): concurrent run?`,
    );
  }
  const stored = await writeManifest(deps.s3, deps.archiveBucket, manifest);
  deps.logger.info('archive manifest written', { tenantId, archiveId, key: stored.key });
  await deps.faults?.('manifest');
  return stored;
}
