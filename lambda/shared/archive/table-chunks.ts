import type { PoolClient } from 'pg';
import { ArchiveError } from './errors';
import type { TenantTable } from './tenant-tables';
import { qualified, quoteIdent } from './tenant-tables';

/** Row alias; unusual so that no column of the same name shadows the whole-row reference. */
export const ROW = 'archived_row__';

/**
 * One chunk of a table: the rows whose primary key is after `after` and up to `through`
 * (inclusive), in primary key order; an absent bound is open. Bounds are the `jsonb` text of a
 * row's primary key columns (kept as text: a `bigint` key would lose digits as a JS number).
 * A table in one chunk has neither.
 */
export interface ChunkRange {
  /** 1-based position of the chunk in its table. */
  readonly index: number;
  /** How many chunks the table has. */
  readonly count: number;
  readonly after?: string;
  readonly through?: string;
}

/** The whole table as one chunk (a table without a primary key, a small one, an old manifest). */
export const WHOLE_TABLE: ChunkRange = { index: 1, count: 1 };

/** The chunks that `boundaries` (cut points in primary key order, ascending) make of a table. */
export function chunkRanges(boundaries: readonly string[]): ChunkRange[] {
  const count = boundaries.length + 1;
  return Array.from({ length: count }, (_, i) => ({
    index: i + 1,
    count,
    ...(i > 0 ? { after: boundaries[i - 1] } : {}),
    ...(i < boundaries.length ? { through: boundaries[i] } : {}),
  }));
}

/** The primary key columns of `table`, aliased, as a row constructor: `(r.a, r.b)`. */
function keyRow(table: TenantTable): string {
  return `(${table.primaryKey.map((c) => `${ROW}.${quoteIdent(c)}`).join(', ')})`;
}

/**
 * A bound as a row of the key's own types and collations: the bound's `jsonb` read back with
 * `jsonb_populate_record` of the table's row type (exact for every type `to_jsonb` renders).
 * Written as a row of stable expressions, not a subquery, so that the planner uses the whole
 * comparison as the primary key index's range (a row subquery only bounds its first column).
 */
function boundRow(schema: string, table: TenantTable, param: string): string {
  const record = `jsonb_populate_record(NULL::${qualified(schema, table.name)}, ${param}::jsonb)`;
  return `(${table.primaryKey.map((c) => `(${record}).${quoteIdent(c)}`).join(', ')})`;
}

/**
 * The SQL condition of a chunk on the alias `archived_row__`, its bounds as parameters numbered
 * from `firstParam`; '' and no parameters for a table in one chunk.
 */
export function chunkCondition(
  schema: string,
  table: TenantTable,
  range: ChunkRange,
  firstParam: number,
): { sql: string; params: string[] } {
  if (range.after === undefined && range.through === undefined) return { sql: '', params: [] };
  if (table.primaryKey.length === 0) {
    throw new ArchiveError(
      'ARCHIVE_INTEGRITY',
      `${table.name} has no primary key now but was archived in chunks of primary key order`,
    );
  }
  const parts: string[] = [];
  const params: string[] = [];
  for (const [bound, op] of [
    [range.after, '>'],
    [range.through, '<='],
  ] as const) {
    if (bound === undefined) continue;
    params.push(bound);
    parts.push(
      `${keyRow(table)} ${op} ${boundRow(schema, table, `$${firstParam + params.length - 1}`)}`,
    );
  }
  return { sql: ` AND ${parts.join(' AND ')}`, params };
}

/**
 * The cut points of a table's chunks for one tenant: the primary key of every `chunkRows`-th row
 * in primary key order, except at the last row (no empty last chunk). Fixed when the archive is
 * planned (the tenant is frozen by then), saved in the progress and then in the manifest. A
 * table without a primary key, or with a foreign key to itself (a row of one chunk may reference
 * a row of another, so chunks could not be deleted one at a time), is one chunk.
 */
export async function planChunkBoundaries(
  client: PoolClient,
  schema: string,
  table: TenantTable,
  tenantId: string,
  chunkRows: number,
  selfReferencing: boolean,
): Promise<string[]> {
  if (table.primaryKey.length === 0 || selfReferencing) return [];
  const columns = table.primaryKey.map((c) => `${ROW}.${quoteIdent(c)}`).join(', ');
  const bound = table.primaryKey
    .map((c) => `'${c.replace(/'/g, "''")}', k.${quoteIdent(c)}`)
    .join(', ');
  const result = await client.query<{ bound: string }>(
    `SELECT jsonb_build_object(${bound})::text AS bound
       FROM (SELECT ${columns},
                    row_number() OVER (ORDER BY ${columns}) AS n,
                    lead(true) OVER (ORDER BY ${columns}) AS more
               FROM ${qualified(schema, table.name)} ${ROW}
              WHERE ${ROW}.tenant_id = $1) k
      WHERE k.n % $2 = 0 AND k.more
      ORDER BY k.n`,
    [tenantId, chunkRows],
  );
  return result.rows.map((r) => r.bound);
}

/** Tenant tables with a foreign key to themselves (never split into chunks). */
export async function selfReferencingTables(
  client: PoolClient,
  schema: string,
): Promise<Set<string>> {
  const result = await client.query<{ name: string }>(
    `SELECT DISTINCT c.relname AS name
       FROM pg_constraint k
       JOIN pg_class c ON c.oid = k.conrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE k.contype = 'f' AND k.conrelid = k.confrelid AND n.nspname = $1`,
    [schema],
  );
  return new Set(result.rows.map((r) => r.name));
}
