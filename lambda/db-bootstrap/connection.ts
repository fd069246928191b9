import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Signer } from '@aws-sdk/rds-signer';
import type { ClientConfig } from 'pg';
import { Client } from 'pg';
import { BOOTSTRAP_ROLE } from './baseline-sql';
import type { BootstrapConfig } from './config';
import type { ConnectionFactory, SqlClient } from './sql-client';

/**
 * A `pg` client configuration with verified TLS 1.2+ (the certificate chain must lead to a trusted
 * CA, which for RDS comes from NODE_EXTRA_CA_CERTS; the host name must match).
 */
export function clientConfig(
  config: Pick<BootstrapConfig, 'host' | 'port' | 'database'>,
  user: string,
  password: string,
): ClientConfig {
  return {
    host: config.host,
    port: config.port,
    database: config.database,
    user,
    password,
    ssl: { rejectUnauthorized: true, minVersion: 'TLSv1.2', servername: config.host },
    connectionTimeoutMillis: 10_000,
    application_name: 'platform-db-bootstrap',
  };
}

/** The user name and password of an RDS-managed master secret (JSON). */
export function parseMasterSecret(secretString: string | undefined): {
  username: string;
  password: string;
} {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString ?? '');
  } catch {
    throw new Error('The master secret is not JSON with "username" and "password"');
  }
  const { username, password } = (parsed ?? {}) as { username?: unknown; password?: unknown };
  if (typeof username !== 'string' || typeof password !== 'string' || !username || !password) {
    throw new Error('The master secret lacks "username" or "password"');
  }
  return { username, password };
}

async function open(options: ClientConfig): Promise<SqlClient> {
  const client = new Client(options);
  await client.connect();
  return client;
}

/** Connections to the cluster with IAM authentication, and with the master secret as a fallback. */
export function awsConnectionFactory(config: BootstrapConfig): ConnectionFactory {
  const signer = new Signer({
    hostname: config.host,
    port: config.port,
    username: BOOTSTRAP_ROLE,
    region: config.region,
  });
  const secrets = new SecretsManagerClient({ region: config.region });
  return {
    async asBootstrapRole() {
      // A fresh token per login: tokens are valid for 15 minutes.
      return open(clientConfig(config, BOOTSTRAP_ROLE, await signer.getAuthToken()));
    },
    async asMaster() {
      const secret = await secrets.send(
        new GetSecretValueCommand({ SecretId: config.masterSecretArn }),
      );
      const { username, password } = parseMasterSecret(secret.SecretString);
      return open(clientConfig(config, username, password));
    },
  };
}
