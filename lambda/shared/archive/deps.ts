import { Logger } from '@aws-lambda-powertools/logger';
import { S3Client } from '@aws-sdk/client-s3';
import { Signer } from '@aws-sdk/rds-signer';
import { Pool } from 'pg';
import type { ArchiveDeps, ArchiveLogger, PurgeDeps } from './contracts';

/** The archive worker's settings, read from its contract (lambda/tenant-archive/contract.ts). */
export interface ArchiveEnvironment {
  readonly region: string;
  readonly dbHost: string;
  readonly dbPort: number;
  readonly dbName: string;
  readonly dbUser: string;
  readonly filesBucket: string;
  readonly filesReplicaBucket: string;
  readonly filesReplicaRegion: string;
  readonly archiveBucket: string;
}

/** The purge worker's settings (lambda/tenant-purge/contract.ts). */
export interface PurgeEnvironment {
  readonly region: string;
  readonly archiveBucket: string;
}

export interface DepsOptions {
  readonly logger?: ArchiveLogger;
  readonly clock?: () => Date;
}

function defaultLogger(): ArchiveLogger {
  return new Logger({ serviceName: 'tenant-lifecycle' });
}

/**
 * A connection pool that signs in with a short-lived IAM authentication token (a new one per
 * connection) over TLS with full certificate verification against Node's trust store, which in
 * Lambda includes the RDS CAs only through NODE_EXTRA_CA_CERTS (a required setting of the archive
 * worker's contract); no password is stored anywhere.
 */
export function createWorkerPool(settings: ArchiveEnvironment): Pool {
  const signer = new Signer({
    hostname: settings.dbHost,
    port: settings.dbPort,
    username: settings.dbUser,
    region: settings.region,
  });
  const pool = new Pool({
    host: settings.dbHost,
    port: settings.dbPort,
    database: settings.dbName,
    user: settings.dbUser,
    password: () => signer.getAuthToken(),
    ssl: { rejectUnauthorized: true, minVersion: 'TLSv1.2', servername: settings.dbHost },
    max: 2,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    application_name: 'tenant-archive',
  });
  keepConnectionErrorsLocal(pool);
  return pool;
}

/**
 * A connection the server ends (a failover, a restart, an administrator's termination) makes pg
 * emit `error` on the pool (idle client) or on the client (checked out between queries); with no
 * listener that crashes the whole process. The query in flight fails on its own and the job is
 * retried, so the event is logged and nothing else.
 */
export function keepConnectionErrorsLocal(pool: Pool): void {
  const log = (error: Error) =>
    console.warn(
      JSON.stringify({ level: 'WARN', message: 'database connection lost', error: error.message }),
    );
  pool.on('error', log);
  pool.on('connect', (client) => client.on('error', log));
}

/** Everything `archiveTenant` needs, from the worker's settings. */
export function createArchiveDeps(
  settings: ArchiveEnvironment,
  options: DepsOptions = {},
): ArchiveDeps {
  return {
    db: createWorkerPool(settings),
    s3: new S3Client({ region: settings.region }),
    replicaS3: new S3Client({ region: settings.filesReplicaRegion }),
    filesBucket: settings.filesBucket,
    filesReplicaBucket: settings.filesReplicaBucket,
    archiveBucket: settings.archiveBucket,
    logger: options.logger ?? defaultLogger(),
    clock: options.clock ?? (() => new Date()),
  };
}

/** Everything `purgeTenant` needs: the region and the archive bucket only. */
export function createPurgeDeps(settings: PurgeEnvironment, options: DepsOptions = {}): PurgeDeps {
  return {
    s3: new S3Client({ region: settings.region }),
    archiveBucket: settings.archiveBucket,
    logger: options.logger ?? defaultLogger(),
    clock: options.clock ?? (() => new Date()),
  };
}
