import type { PoolClient } from 'pg';
import type { ArchiveDeps } from './contracts';
import { DEFAULT_SCHEMA, tuningOf } from './contracts';
import { drainOnConnections } from './connection-workers';
import { ArchiveError } from './errors';
import type { ArchiveManifest, ManifestTable } from './manifest';
import { entriesByTable } from './manifest';
import type { ChunkRange } from './table-chunks';
import { chunkCondition, ROW, WHOLE_TABLE } from './table-chunks';
import { ROW_DIGEST_SUM_SQL, rowDigestTermSql } from './table-export';
import type { TenantTable } from './tenant-tables';
import {
  beginTenantTransaction,
  deletionOrder,
  discoverTenantTables,
  qualified,
} from './tenant-tables';

/**
 * The deleting statement of one chunk of a table (the whole table by default), `$1` the tenant id
 * and the chunk's bounds next: one set-based DELETE of the tenant's rows in the chunk (its
 * primary key range, or the `tenant_id` index, or a scan, as the planner chooses), whose
 * RETURNING hands each row's digest term (8 bytes, not the row's text) to one aggregate: the
 * count and the content digest of exactly the rows deleted, in the same statement.
 */
export function deleteChunkStatement(
  schema: string,
  table: TenantTable,
  range: ChunkRange = WHOLE_TABLE,
): { text: string; params: string[] } {
  const bounds = chunkCondition(schema, table, range, 2);
  return {
    text: `WITH gone AS (DELETE FROM ${qualified(schema, table.name)} ${ROW} WHERE ${ROW}.tenant_id = $1${bounds.sql}
                 RETURNING ${rowDigestTermSql(`to_jsonb(${ROW})::text`)} AS term)
   SELECT count(*) AS n, ${ROW_DIGEST_SUM_SQL} AS digest FROM gone`,
    params: bounds.params,
  };
}

/** The deleting statement of a whole table (`$1` the tenant id). */
export function deleteStatement(schema: string, table: string): string {
  return deleteChunkStatement(schema, {
    name: table,
    primaryKey: [],
    rowSecurity: true,
    rowSecurityForced: true,
  }).text;
}

/** Live rows of the tenant in one chunk of a table. */
async function countRows(
  client: PoolClient,
  schema: string,
  table: TenantTable,
  tenantId: string,
  range: ChunkRange,
): Promise<number> {
  const bounds = chunkCondition(schema, table, range, 2);
  const result = await client.query<{ n: string }>(
    `SELECT count(*) AS n FROM ${qualified(schema, table.name)} ${ROW} WHERE ${ROW}.tenant_id = $1${bounds.sql}`,
    [tenantId, ...bounds.params],
  );
  return Number(result.rows[0]?.n ?? 0);
}

/** One archived object of a table (a chunk, or the whole table) and its live rows now. */
interface LiveChunk {
  readonly entry: ManifestTable;
  readonly range: ChunkRange;
  readonly table: TenantTable;
  readonly live: number;
}

const chunkLabel = (c: LiveChunk): string =>
  c.range.count > 1 ? `${c.entry.table} chunk ${c.range.index}/${c.range.count}` : c.entry.table;

/**
 * Deletes the tenant's live rows, only called once the archive is verified. First, in one
 * snapshot and before deleting anything, every archived chunk of every tenant table must hold
 * either exactly the manifest's count for it (not yet deleted) or none (deleted by an earlier
 * run, e.g. one that crashed or ran out of time in the middle of the table), and a tenant table
 * the archive does not hold must be empty; anything else (rows added since the export, a new
 * tenant table with rows) fails with nothing deleted. Then one transaction per chunk, tables
 * children before parents and the chunks of one table on up to `tuning.connections`
 * connections at once: the DELETE's count and content digest (the same digest the export
 * computed, over the rows the DELETE returns, so nothing changes in between) must equal the
 * manifest's for that chunk, else it is rolled back (nothing of that chunk deleted) and the run
 * fails. A manifest without chunks (v1) deletes each table in one transaction, as before.
 * Fault steps `delete-rows:<table>#<chunk>` after each chunk, `delete-rows:<table>` after each
 * table. Stops early (not complete) when `stop()` says the invocation is out of time.
 */
export async function deleteTenantRows(
  deps: Pick<ArchiveDeps, 'db' | 'schema' | 'logger' | 'faults' | 'tuning'>,
  manifest: ArchiveManifest,
  /** Checked before each chunk: true stops (the rest is deleted by the next run). */
  stop: () => boolean = () => false,
): Promise<{ deleted: Record<string, number>; complete: boolean }> {
  const schema = deps.schema ?? DEFAULT_SCHEMA;
  const { tenantId } = manifest;
  const { connections } = tuningOf(deps);
  const archived = entriesByTable(manifest.tables);
  const liveChunks = new Map<string, LiveChunk[]>();
  const unarchived = new Map<string, number>();
  let order: string[];
  const client = await deps.db.connect();
  try {
    await beginTenantTransaction(client, tenantId, 'read');
    const tables = await discoverTenantTables(client, schema);
    for (const table of tables) {
      const entries = archived.get(table.name);
      if (!entries) {
        unarchived.set(table.name, await countRows(client, schema, table, tenantId, WHOLE_TABLE));
        continue;
      }
      const chunks: LiveChunk[] = [];
      for (const entry of entries) {
        const range = entry.chunk ?? WHOLE_TABLE;
        chunks.push({
          entry,
          range,
          table,
          live: await countRows(client, schema, table, tenantId, range),
        });
      }
      liveChunks.set(table.name, chunks);
    }
    order = await deletionOrder(
      client,
      schema,
      tables.map((t) => t.name),
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }

  const problems: string[] = [];
  for (const [table, rows] of unarchived) {
    if (rows > 0) problems.push(`${table} has ${rows} rows but is not in the archive`);
  }
  for (const chunks of liveChunks.values()) {
    for (const c of chunks) {
      if (c.live !== c.entry.rows && c.live !== 0) {
        problems.push(`${chunkLabel(c)} has ${c.live} live rows, the archive ${c.entry.rows}`);
      }
    }
  }
  if (problems.length > 0) {
    throw new ArchiveError('ROW_COUNT_MISMATCH', `nothing deleted: ${problems.join('; ')}`, {
      problems,
    });
  }
  for (const table of archived.keys()) {
    if (!liveChunks.has(table)) deps.logger.warn('archived table no longer exists', { table });
  }

  const deleted: Record<string, number> = {};
  for (const table of order) {
    const pending = (liveChunks.get(table) ?? []).filter((c) => c.live > 0);
    const complete = await drainOnConnections(deps.db, pending, connections, {
      stop,
      item: async (worker, chunk) => {
        await deleteChunk(worker, schema, tenantId, chunk);
        deleted[table] = (deleted[table] ?? 0) + chunk.entry.rows;
        deps.logger.info('deleted tenant rows', {
          tenantId,
          table,
          ...(chunk.range.count > 1 ? { chunk: chunk.range.index, chunks: chunk.range.count } : {}),
          rows: chunk.entry.rows,
        });
        await deps.faults?.(`delete-rows:${table}#${chunk.range.index}`);
      },
    });
    if (!complete) return { deleted, complete: false };
    await deps.faults?.(`delete-rows:${table}`);
  }
  return { deleted, complete: true };
}

/** Deletes one chunk in its own transaction, committed only if its count and digest match. */
async function deleteChunk(
  client: PoolClient,
  schema: string,
  tenantId: string,
  chunk: LiveChunk,
): Promise<void> {
  const { entry, table } = chunk;
  const label = chunkLabel(chunk);
  await beginTenantTransaction(client, tenantId, 'write');
  const statement = deleteChunkStatement(schema, table, chunk.range);
  const result = await client.query<{ n: string; digest: string }>(statement.text, [
    tenantId,
    ...statement.params,
  ]);
  const removed = Number(result.rows[0]?.n ?? 0);
  const digest = result.rows[0]?.digest;
  if (removed === entry.rows && entry.rowsDigest !== undefined && digest !== entry.rowsDigest) {
    await client.query('ROLLBACK');
    throw new ArchiveError(
      'ROW_CONTENT_MISMATCH',
      `${label} rows changed since the export (content digest ${digest}, the archive ` +
        `${entry.rowsDigest}): rolled back, nothing of ${label} deleted`,
      { table: entry.table, chunk: chunk.range.index },
    );
  }
  if (removed !== entry.rows) {
    await client.query('ROLLBACK');
    throw new ArchiveError(
      'ROW_COUNT_MISMATCH',
      `deleting ${label} would remove ${removed} rows, the archive holds ${entry.rows}: rolled back`,
      { table: entry.table, chunk: chunk.range.index, deleted: removed, archived: entry.rows },
    );
  }
  await client.query('COMMIT');
}
