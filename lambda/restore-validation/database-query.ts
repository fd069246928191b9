import {
  PLATFORM_SCHEMA,
  RESTORE_SENTINEL_ID,
  RESTORE_SENTINEL_TABLE,
} from '../shared/database/names';

/** Where and as whom to run the validation query. */
export interface QueryTarget {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
}

/** The restore sentinel row the database bootstrap writes on the live database. */
export interface Sentinel {
  /** `app.<table>` of every table of schema `app` when the bootstrap last ran. */
  readonly appTables: readonly string[];
  /** When the bootstrap wrote the row (ISO 8601). */
  readonly writtenAt: string;
}

/** What the query found on the restored copy. */
export interface QueryResult {
  readonly currentUser: string;
  /** `app.<table>` of every table of schema `app` in the restored copy (from the catalogue). */
  readonly restoredTables: readonly string[];
  /** The sentinel row, or undefined when the copy has no sentinel table or no row. */
  readonly sentinel?: Sentinel;
}

/** Runs the validation queries on a restored cluster (real: `pg` over TLS with IAM auth). */
export type DatabaseQuery = (target: QueryTarget) => Promise<QueryResult>;

/** What a `pg` client offers that the queries need (a fake or a real `Client`). */
export interface Queryable {
  query<R extends object>(sql: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

const SENTINEL = `${PLATFORM_SCHEMA}.${RESTORE_SENTINEL_TABLE}`;

/** Login (IAM, TLS), the tables of schema `app` from the catalogue, whether the sentinel exists. */
export const CATALOG_SQL = `SELECT current_user AS current_user,
       ARRAY(SELECT schemaname || '.' || tablename FROM pg_catalog.pg_tables
              WHERE schemaname = 'app' ORDER BY 1) AS restored_tables,
       to_regclass('${SENTINEL}') IS NOT NULL AS has_sentinel`;

/** The sentinel row (readable by the validation role, SELECT on this table only). */
export const SENTINEL_SQL = `SELECT app_tables, written_at FROM ${SENTINEL} WHERE id = $1`;

/** The validation queries on one connection (the role's only grant is SELECT on the sentinel). */
export async function runValidationQueries(client: Queryable): Promise<QueryResult> {
  const { rows } = await client.query<{
    current_user: string;
    restored_tables: string[];
    has_sentinel: boolean;
  }>(CATALOG_SQL);
  const catalog = rows[0];
  const base = { currentUser: catalog.current_user, restoredTables: catalog.restored_tables };
  if (!catalog.has_sentinel) return base;
  const sentinel = await client.query<{ app_tables: string[]; written_at: Date }>(SENTINEL_SQL, [
    RESTORE_SENTINEL_ID,
  ]);
  const row = sentinel.rows[0];
  if (!row) return base;
  return {
    ...base,
    sentinel: { appTables: row.app_tables, writtenAt: new Date(row.written_at).toISOString() },
  };
}
