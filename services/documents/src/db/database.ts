import { readFileSync } from 'node:fs';
import type { PoolClient } from 'pg';
import { Pool } from 'pg';
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
