import type { PoolClient } from 'pg';
import { ArchiveError } from './errors';

/** A table of the application schema that holds tenant rows. */
export interface TenantTable {
  readonly name: string;
  /** Primary key columns in key order; empty when the table has none. */
  readonly primaryKey: readonly string[];
  readonly rowSecurity: boolean;
  readonly rowSecurityForced: boolean;
}

export function quoteIdent(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

export function qualified(schema: string, table: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(table)}`;
}

/**
 * Every table of `schema` with a `tenant_id` column, by name. Read from pg_catalog rather than
 * information_schema for two reasons: information_schema hides tables the worker role has no
 * privilege on (they would silently escape the archive; here they fail loudly on export), and it
 * lists each partition as a BASE TABLE (their rows would be exported twice; here only the
 * partitioned parent is).
 */
export async function discoverTenantTables(
  client: PoolClient,
  schema: string,
): Promise<TenantTable[]> {
  const result = await client.query<{
    name: string;
    primary_key: string[] | null;
    rls: boolean;
    forced: boolean;
  }>(
    `SELECT c.relname AS name,
            c.relrowsecurity AS rls,
            c.relforcerowsecurity AS forced,
            (SELECT array_agg(a.attname::text ORDER BY k.ord)
               FROM pg_index i
               CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
              WHERE i.indrelid = c.oid AND i.indisprimary) AS primary_key
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1
        AND c.relkind IN ('r', 'p')
        AND NOT c.relispartition
        AND EXISTS (SELECT 1 FROM pg_attribute t
                     WHERE t.attrelid = c.oid AND t.attname = 'tenant_id'
                       AND t.attnum > 0 AND NOT t.attisdropped)
      ORDER BY c.relname COLLATE "C"`,
    [schema],
  );
  return result.rows.map((row) => ({
    name: row.name,
    primaryKey: row.primary_key ?? [],
    rowSecurity: row.rls,
    rowSecurityForced: row.forced,
  }));
}

/**
 * The order in which tenant tables can be emptied one transaction at a time: a table comes
 * after every tenant table whose foreign keys reference it (children before parents).
 */
export async function deletionOrder(
  client: PoolClient,
  schema: string,
  tables: readonly string[],
): Promise<string[]> {
  const edges = await client.query<{ child: string; parent: string }>(
    `SELECT ch.relname AS child, pa.relname AS parent
       FROM pg_constraint k
       JOIN pg_class ch ON ch.oid = k.conrelid
       JOIN pg_class pa ON pa.oid = k.confrelid
       JOIN pg_namespace n ON n.oid = ch.relnamespace
      WHERE k.contype = 'f' AND n.nspname = $1 AND pa.relnamespace = n.oid`,
    [schema],
  );
  const pending = new Set(tables);
  const referencedBy = new Map<string, Set<string>>();
  for (const { child, parent } of edges.rows) {
    if (child === parent || !pending.has(child) || !pending.has(parent)) continue;
    if (!referencedBy.has(parent)) referencedBy.set(parent, new Set());
    referencedBy.get(parent)?.add(child);
  }
  const order: string[] = [];
  while (pending.size > 0) {
    const ready = [...pending]
      .filter((t) => [...(referencedBy.get(t) ?? [])].every((child) => !pending.has(child)))
      .sort();
    if (ready.length === 0) {
      throw new ArchiveError(
        'ROW_COUNT_MISMATCH',
        `foreign keys form a cycle among ${[...pending].join(', ')}: cannot delete table by table`,
      );
    }
    for (const t of ready) {
      order.push(t);
      pending.delete(t);
    }
  }
  return order;
}

/** Starts a transaction scoped to one tenant by row-level security. */
export async function beginTenantTransaction(
  client: PoolClient,
  tenantId: string,
  mode: 'read' | 'write',
): Promise<void> {
  await client.query(mode === 'read' ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
  await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
}
