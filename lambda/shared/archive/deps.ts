import { readFileSync } from 'node:fs';
import { Logger } from '@aws-lambda-powertools/logger';
import { S3Client } from '@aws-sdk/client-s3';
import { Signer } from '@aws-sdk/rds-signer';
import { Pool } from 'pg';
import type { ArchiveDeps, ArchiveLogger, PurgeDeps } from './contracts';

/** The archive worker's settings, validated once from the environment. */
export interface ArchiveEnvironment {
  readonly region: string;
  readonly dbHost: string;
  readonly dbPort: number;
  readonly dbName: string;
  readonly dbUser: string;
  /** PEM bundle that signs the database's certificate; unset means Node's trust store. */
  readonly dbCaBundle?: string;
  readonly filesBucket: string;
  readonly filesReplicaBucket: string;
  readonly filesReplicaRegion: string;
  readonly archiveBucket: string;
}

export interface DepsOptions {
  readonly logger?: ArchiveLogger;
  readonly clock?: () => Date;
}

type Env = Record<string, string | undefined>;

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const HOST = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;
const PG_NAME = /^[A-Za-z_][A-Za-z0-9_$-]{0,62}$/;

class EnvReader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  text(name: string, pattern: RegExp, what: string): string {
    const value = this.env[name]?.trim();
    if (!value) this.problems.push(`${name} is missing (${what})`);
    else if (!pattern.test(value))
      this.problems.push(`${name}=${JSON.stringify(value)} is not ${what}`);
    return value ?? '';
  }

  port(name: string): number {
    const raw = this.env[name]?.trim();
    const value = Number(raw);
    if (!raw) this.problems.push(`${name} is missing (a TCP port)`);
    else if (!/^\d+$/.test(raw) || value < 1 || value > 65535) {
      this.problems.push(`${name}=${JSON.stringify(raw)} is not a TCP port (1-65535)`);
    }
    return value;
  }

  file(name: string): string | undefined {
    const path = this.env[name]?.trim();
    if (!path) return undefined;
    try {
      return readFileSync(path, 'utf8');
    } catch (error) {
      this.problems.push(`${name}=${path} cannot be read: ${(error as Error).message}`);
      return undefined;
    }
  }

  done(): void {
    if (this.problems.length > 0) {
      throw new Error(`invalid archive worker environment:\n- ${this.problems.join('\n- ')}`);
    }
  }
}

function archiveBucketAndRegion(read: EnvReader): { region: string; archiveBucket: string } {
  return {
    region: read.text('AWS_REGION', REGION, 'an AWS region such as ap-southeast-2'),
    archiveBucket: read.text('ARCHIVE_BUCKET', BUCKET, 'an S3 bucket name'),
  };
}

/** Reads and checks every variable, reporting all problems at once. */
export function readArchiveEnvironment(env: Env = process.env): ArchiveEnvironment {
  const read = new EnvReader(env);
  const common = archiveBucketAndRegion(read);
  const dbCaBundle = read.file('DB_CA_BUNDLE');
  const settings: ArchiveEnvironment = {
    ...common,
    dbHost: read.text('DB_HOST', HOST, 'a host name'),
    dbPort: read.port('DB_PORT'),
    dbName: read.text('DB_NAME', PG_NAME, 'a PostgreSQL database name'),
    dbUser: read.text('DB_USER', PG_NAME, 'a PostgreSQL role name'),
    ...(dbCaBundle ? { dbCaBundle } : {}),
    filesBucket: read.text('FILES_BUCKET', BUCKET, 'an S3 bucket name'),
    filesReplicaBucket: read.text('FILES_REPLICA_BUCKET', BUCKET, 'an S3 bucket name'),
    filesReplicaRegion: read.text('FILES_REPLICA_REGION', REGION, 'an AWS region'),
    archiveBucket: common.archiveBucket,
  };
  read.done();
  return settings;
}

function defaultLogger(): ArchiveLogger {
  return new Logger({ serviceName: 'tenant-lifecycle' });
}

/**
 * A connection pool that signs in with a short-lived IAM authentication token (a new one per
 * connection) over TLS with full certificate verification; no password is stored anywhere.
 */
export function createWorkerPool(settings: ArchiveEnvironment): Pool {
  const signer = new Signer({
    hostname: settings.dbHost,
    port: settings.dbPort,
    username: settings.dbUser,
    region: settings.region,
  });
  return new Pool({
    host: settings.dbHost,
    port: settings.dbPort,
    database: settings.dbName,
    user: settings.dbUser,
    password: () => signer.getAuthToken(),
    ssl: {
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
      ...(settings.dbCaBundle ? { ca: settings.dbCaBundle } : {}),
    },
    max: 2,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    application_name: 'tenant-archive',
  });
}

/** Everything `archiveTenant` needs, from the Lambda environment. */
export function createArchiveDeps(env: Env = process.env, options: DepsOptions = {}): ArchiveDeps {
  const settings = readArchiveEnvironment(env);
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

/** Everything `purgeTenant` needs: AWS_REGION and ARCHIVE_BUCKET only. */
export function createPurgeDeps(env: Env = process.env, options: DepsOptions = {}): PurgeDeps {
  const read = new EnvReader(env);
  const { region, archiveBucket } = archiveBucketAndRegion(read);
  read.done();
  return {
    s3: new S3Client({ region }),
    archiveBucket,
    logger: options.logger ?? defaultLogger(),
    clock: options.clock ?? (() => new Date()),
  };
}
