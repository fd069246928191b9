import type { PoolClient } from 'pg';
import type { ArchiveDeps } from './contracts';
import { DEFAULT_SCHEMA } from './contracts';
import { ArchiveError } from './errors';
import { ROW_DIGEST_SUM_SQL, rowDigestTermSql } from './table-export';
import type { ArchiveManifest } from './manifest';
import {
  beginTenantTransaction,
  deletionOrder,
  discoverTenantTables,
  qualified,
} from './tenant-tables';

/** Row alias; unusual so that no column of the same name shadows the whole-row reference. */
const ROW = 'archived_row__';

/**
 * The deleting statement of one table: one set-based DELETE of the tenant's rows (its `tenant_id`
 * index or a scan, as the planner chooses), whose RETURNING hands each row's digest term (8 bytes,
 * not the row's text) to one aggregate: the count and the content digest of exactly the rows
 * deleted, in the same statement.
 */
export function deleteStatement(schema: string, table: string): string {
  return `WITH gone AS (DELETE FROM ${qualified(schema, table)} ${ROW} WHERE ${ROW}.tenant_id = $1
                 RETURNING ${rowDigestTermSql(`to_jsonb(${ROW})::text`)} AS term)
   SELECT count(*) AS n, ${ROW_DIGEST_SUM_SQL} AS digest FROM gone`;
}

async function countRows(
  client: PoolClient,
  schema: string,
  table: string,
  tenantId: string,
): Promise<number> {
  const result = await client.query<{ n: string }>(
    `SELECT count(*) AS n FROM ${qualified(schema, table)} WHERE tenant_id = $1`,
    [tenantId],
  );
  return Number(result.rows[0]?.n ?? 0);
}

/**
 * Deletes the tenant's live rows, only called once the archive is verified. First, in one
 * snapshot and before deleting anything, every tenant table now present must hold either
 * exactly the manifest's count (not yet deleted) or none (deleted by an earlier run, or a
 * table the archive holds no rows of); anything else (rows added since the export, a new
 * tenant table with rows) fails with nothing deleted. Then one transaction per table,
 * children before parents: the DELETE's count and content digest (the same digest the export
 * computed, over the rows the DELETE returns, so nothing changes in between) must equal the
 * manifest's, else it is rolled back and the run fails. Fault step `delete-rows:<table>` after each table. Stops early (not
 * complete) when `stop()` says the invocation is out of time.
 */
export async function deleteTenantRows(
  deps: Pick<ArchiveDeps, 'db' | 'schema' | 'logger' | 'faults'>,
  manifest: ArchiveManifest,
  /** Checked before each table: true stops (the rest is deleted by the next run). */
  stop: () => boolean = () => false,
): Promise<{ deleted: Record<string, number>; complete: boolean }> {
  const schema = deps.schema ?? DEFAULT_SCHEMA;
  const { tenantId } = manifest;
  const digests = new Map(
    manifest.tables.flatMap((t) => (t.rowsDigest === undefined ? [] : [[t.table, t.rowsDigest]])),
  );
  const client = await deps.db.connect();
  try {
    await beginTenantTransaction(client, tenantId, 'read');
    const tables = await discoverTenantTables(client, schema);
    const live = new Map<string, number>();
    for (const t of tables) live.set(t.name, await countRows(client, schema, t.name, tenantId));
    const order = await deletionOrder(client, schema, [...live.keys()]);
    await client.query('COMMIT');

    const problems: string[] = [];
    for (const [table, rows] of live) {
      const archived = manifest.rowCounts[table];
      if (archived === undefined && rows > 0) {
        problems.push(`${table} has ${rows} rows but is not in the archive`);
      } else if (archived !== undefined && rows !== archived && rows !== 0) {
        problems.push(`${table} has ${rows} live rows, the archive ${archived}`);
      }
    }
    if (problems.length > 0) {
      throw new ArchiveError('ROW_COUNT_MISMATCH', `nothing deleted: ${problems.join('; ')}`, {
        problems,
      });
    }
    for (const table of Object.keys(manifest.rowCounts)) {
      if (!live.has(table)) deps.logger.warn('archived table no longer exists', { table });
    }

    const deleted: Record<string, number> = {};
    for (const table of order) {
      const expected = manifest.rowCounts[table] ?? 0;
      if ((live.get(table) ?? 0) > 0) {
        if (stop()) return { deleted, complete: false };
        await beginTenantTransaction(client, tenantId, 'write');
        const result = await client.query<{ n: string; digest: string }>(
          deleteStatement(schema, table),
          [tenantId],
        );
        const removed = Number(result.rows[0]?.n ?? 0);
        const digest = result.rows[0]?.digest;
        const archivedDigest = digests.get(table);
        if (removed === expected && archivedDigest !== undefined && digest !== archivedDigest) {
          await client.query('ROLLBACK');
          throw new ArchiveError(
            'ROW_CONTENT_MISMATCH',
            `${table} rows changed since the export (content digest ${digest}, the archive ` +
              `${archivedDigest}): rolled back, nothing of ${table} deleted`,
            { table },
          );
        }
        if (removed !== expected) {
          await client.query('ROLLBACK');
          throw new ArchiveError(
            'ROW_COUNT_MISMATCH',
            `deleting ${table} would remove ${removed} rows, the archive holds ${expected}: rolled back`,
            { table, deleted: removed, archived: expected },
          );
        }
        await client.query('COMMIT');
        deleted[table] = expected;
        deps.logger.info('deleted tenant rows', { tenantId, table, rows: expected });
      }
      await deps.faults?.(`delete-rows:${table}`);
    }
    return { deleted, complete: true };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
