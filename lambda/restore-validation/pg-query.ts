import { Signer } from '@aws-sdk/rds-signer';
import { Client } from 'pg';
import type { DatabaseQuery } from './database-query';
import { runValidationQueries } from './database-query';

/**
 * The real validation query: `pg` with verified TLS 1.2+ (RDS CAs from NODE_EXTRA_CA_CERTS) and a
 * fresh IAM authentication token (`@aws-sdk/rds-signer`) for the login role; then the queries of
 * `runValidationQueries`.
 */
export function pgQuery(region: string): DatabaseQuery {
  return async (target) => {
    const signer = new Signer({
      hostname: target.host,
      port: target.port,
      username: target.user,
      region,
    });
    const client = new Client({
      host: target.host,
      port: target.port,
      database: target.database,
      user: target.user,
      password: await signer.getAuthToken(),
      ssl: { rejectUnauthorized: true, minVersion: 'TLSv1.2', servername: target.host },
      connectionTimeoutMillis: 10_000,
      statement_timeout: 30_000,
      application_name: 'platform-restore-validation',
    });
    await client.connect();
    try {
      return await runValidationQueries(client);
    } finally {
      await client.end();
    }
  };
}
