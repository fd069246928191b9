import { readFileSync } from 'node:fs';
import type { Connection, PoolClient, QueryResult, QueryResultRow } from 'pg';
import { DatabaseError, Pool, Query } from 'pg';
import type { ServiceConfig } from '../config';

/** A password per new connection: an IAM authentication token (see `iam-token.ts`). */
export type PasswordSource = () => Promise<string>;

/**
 * The connection pool: as `app_user`, TLS 1.2+ verified against the configured CA bundle (the
 * RDS bundle in AWS) with the host name checked, a fresh IAM token for every new connection.
 */
export function createPool(config: ServiceConfig['database'], password: PasswordSource): Pool {
  const pool = new Pool({
    host: config.host,
    port: config.port,
    database: config.name,
    user: config.user,
    password,
    ssl: {
      rejectUnauthorized: true,
      ca: readFileSync(config.caFile, 'utf8'),
      minVersion: 'TLSv1.2',
    },
    max: config.poolSize,
    idleTimeoutMillis: 60_000,
    connectionTimeoutMillis: 5_000,
    application_name: 'documents-service',
  });
  // A connection the server ends between queries (failover) must not crash the process.
  pool.on('error', (error) =>
    console.error(
      JSON.stringify({ level: 'error', message: 'idle connection lost', error: String(error) }),
    ),
  );
  return pool;
}

/**
 * Runs `work` in one transaction with `app.tenant_id` set for that transaction only
 * (`set_config(..., true)`, i.e. SET LOCAL, with a bind parameter): forced row-level security
 * then shows and accepts only the tenant's rows, and the pooled connection carries nothing into
 * the next request.
 */
export async function withTenant<T>(
  pool: Pool,
  tenantId: string,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** What a statement runs on: a pooled client inside `withTenant`, or `asTenant(pool, tenant)`. */
export interface Queryable {
  query<R extends QueryResultRow = Record<string, unknown>>(
    text: string,
    values: readonly unknown[],
  ): Promise<QueryResult<R>>;
}

/** The tenant setting, transaction-local (`SET LOCAL` semantics) and bound, never interpolated. */
export const TENANT_SETTING_SQL = "SELECT set_config('app.tenant_id', $1, true)";

/**
 * One statement of the tenant, in one round trip: the extended-protocol messages of
 * `set_config('app.tenant_id', $1, true)` and of the statement are written together and ended by
 * a single Sync. Outside BEGIN/COMMIT, PostgreSQL runs every Execute up to that Sync in one
 * implicit transaction (it commits, or rolls back on an error, at the Sync; an error skips the
 * remaining messages), so the setting holds for the statement and ends with it, exactly as
 * BEGIN + set_config + statement + COMMIT, in one round trip instead of four.
 * Built on pg's Query: its `prepare` writes the statement's Parse/Bind/Describe/Execute/Sync
 * (corked into one write by `submit`); the setting's Parse/Bind/Describe/Execute go first. The
 * results are [setting, statement]; the promise answers the statement's.
 */
class TenantStatement extends Query {
  readonly done: Promise<QueryResult>;

  constructor(
    private readonly tenantId: string,
    text: string,
    values: readonly unknown[],
  ) {
    // queryMode 'extended': never the simple protocol, whose Query message would end the
    // implicit transaction on its own.
    super({ text, values: [...values], queryMode: 'extended' } as ConstructorParameters<
      typeof Query
    >[0]);
    this.done = new Promise((resolve, reject) => {
      (this as unknown as { callback: (e: Error | null, r: unknown) => void }).callback = (
        error,
        results,
      ) => {
        if (error) return reject(error);
        const all = results as QueryResult[];
        // Two results, the setting's and the statement's; anything else is not this pipeline.
        if (!Array.isArray(all) || all.length !== 2) {
          return reject(new Error('tenant statement: expected the setting and one statement'));
        }
        resolve(all[1]);
      };
    });
  }

  /** Called by Query#submit inside cork/uncork: the setting first, then the statement. */
  prepare(connection: Connection): void {
    connection.parse({ text: TENANT_SETTING_SQL, name: '', types: [] }, false);
    connection.bind({ portal: '', statement: '', values: [this.tenantId] }, false);
    connection.describe({ type: 'P', name: '' }, false);
    connection.execute({ portal: '' }, false);
    (Query.prototype as unknown as { prepare(c: Connection): void }).prepare.call(this, connection);
  }
}

/**
 * Runs one statement as `tenantId` in one round trip (see TenantStatement): forced row-level
 * security shows and accepts only the tenant's rows, and the connection goes back to the pool
 * with no tenant set. A database error leaves the connection usable (the implicit transaction
 * was rolled back at the Sync); any other error (connection lost) discards it.
 */
export async function tenantQuery<R extends QueryResultRow = Record<string, unknown>>(
  pool: Pool,
  tenantId: string,
  text: string,
  values: readonly unknown[],
): Promise<QueryResult<R>> {
  const client = await pool.connect();
  try {
    const statement = new TenantStatement(tenantId, text, values);
    client.query(statement);
    const result = (await statement.done) as QueryResult<R>;
    client.release();
    return result;
  } catch (error) {
    client.release(error instanceof DatabaseError ? undefined : (error as Error));
    throw error;
  }
}

/** The tenant's statements, each in its own one-round-trip transaction (`tenantQuery`). */
export function asTenant(pool: Pool, tenantId: string): Queryable {
  return {
    query: <R extends QueryResultRow>(text: string, values: readonly unknown[]) =>
      tenantQuery<R>(pool, tenantId, text, values),
  };
}
