import type { S3Client } from '@aws-sdk/client-s3';
import type { PoolClient } from 'pg';

/** Anything that hands out a pooled PostgreSQL connection: a `pg.Pool` satisfies it. */
export interface DbConnector {
  connect(): Promise<PoolClient>;
}

/** Structured logger; `@aws-lambda-powertools/logger`'s `Logger` satisfies it. */
export interface ArchiveLogger {
  info(message: string, ...attributes: Record<string, unknown>[]): void;
  warn(message: string, ...attributes: Record<string, unknown>[]): void;
  error(message: string, ...attributes: Record<string, unknown>[]): void;
}

/**
 * Called after each durable step (see `ARCHIVE_STEPS` and `PURGE_STEPS`). Production leaves it
 * unset; tests throw from it to simulate a crash right after that step.
 */
export type FaultHook = (step: string) => void | Promise<void>;

/** Knobs with safe defaults; tests and the benchmark may change them. */
export interface ArchiveTuning {
  /** Rows fetched from the server-side cursor per round trip. @default 2000 */
  readonly fetchRows?: number;
  /** Multipart part size in bytes (at least 5 MiB). @default 8 MiB */
  readonly partSizeBytes?: number;
  /** Parallel S3 object operations (copy, lock, verify, the purge's lock check). @default 4 */
  readonly concurrency?: number;
  /** Files larger than this are copied in parts (UploadPartCopy). @default 5 GiB (the S3 limit) */
  readonly maxSingleCopyBytes?: number;
  /**
   * Files copied between two checkpoints of the archive's progress; archive versions deleted
   * between two checks of the purge's budget (at most 1000, one DeleteObjects). @default 200
   */
  readonly filesPerCheckpoint?: number;
  /**
   * Rows per chunk of a table (primary key order), fixed when the archive is planned: each chunk
   * is exported to its own object and deleted in its own transaction, with a checkpoint after
   * each, so one table may span several invocations. @default 25000 (about a second to delete)
   */
  readonly chunkRows?: number;
  /**
   * Database connections that export, or delete, chunks at once (the chunks of one table; tables
   * still one after the other, children first). The pool must allow this many. @default 2
   */
  readonly connections?: number;
}

/**
 * How long the current invocation may still run. The engine checks it before each unit of work
 * (a table, a chunk of files, a deletion step); when it runs short, it saves its progress and
 * returns `in-progress`, and the next delivery of the job continues from there.
 */
export interface ArchiveBudget {
  /** Milliseconds left (in Lambda: `context.getRemainingTimeInMillis()`). */
  readonly remainingMs: () => number;
  /** Start no new unit of work with less than this left. @default 120000 (2 minutes) */
  readonly reserveMs?: number;
}

/** True when the budget says to stop starting work. */
export function outOfTime(budget: ArchiveBudget | undefined): boolean {
  return budget !== undefined && budget.remainingMs() < (budget.reserveMs ?? 120_000);
}

/** What the purge engine needs: only the archive bucket. */
export interface PurgeDeps {
  /** S3 client of the primary region (where the archive bucket lives). */
  readonly s3: S3Client;
  readonly archiveBucket: string;
  readonly logger: ArchiveLogger;
  readonly clock: () => Date;
  readonly faults?: FaultHook;
  readonly tuning?: ArchiveTuning;
}

/** What the archive engine needs. */
export interface ArchiveDeps extends PurgeDeps {
  /** Connections as the lifecycle worker role (subject to row-level security). */
  readonly db: DbConnector;
  /** S3 client of the secondary region, for the replica file bucket. */
  readonly replicaS3: S3Client;
  readonly filesBucket: string;
  readonly filesReplicaBucket: string;
  /** Application schema holding the tenant tables. @default 'app' */
  readonly schema?: string;
}

export const DEFAULT_SCHEMA = 'app';

/** The steps after which `faults` is called by `archiveTenant`, in order. */
export const ARCHIVE_STEPS = [
  'export:<table>#<chunk>',
  'export:<table>',
  'copy:<n>',
  'copy:done',
  'manifest',
  'lock',
  'verify',
  'delete-rows:<table>#<chunk>',
  'delete-rows:<table>',
  'delete-files:primary',
  'delete-files:replica',
] as const;

/** The steps after which `faults` is called by `purgeTenant`, in order. */
export const PURGE_STEPS = ['purge:objects', 'purge:manifest', 'purge:verify'] as const;

function positive(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new Error(`tuning.${name} must be a positive integer, got ${value}`);
  }
  return value;
}

export function tuningOf(deps: Pick<PurgeDeps, 'tuning'>): Required<ArchiveTuning> {
  const partSizeBytes = deps.tuning?.partSizeBytes ?? 8 * 1024 * 1024;
  if (partSizeBytes < 5 * 1024 * 1024) {
    throw new Error('tuning.partSizeBytes must be at least 5 MiB (the S3 minimum part size)');
  }
  return {
    fetchRows: deps.tuning?.fetchRows ?? 2000,
    partSizeBytes,
    concurrency: deps.tuning?.concurrency ?? 4,
    maxSingleCopyBytes: deps.tuning?.maxSingleCopyBytes ?? 5 * 1024 ** 3,
    filesPerCheckpoint: deps.tuning?.filesPerCheckpoint ?? 200,
    chunkRows: positive('chunkRows', deps.tuning?.chunkRows ?? 25_000),
    connections: positive('connections', deps.tuning?.connections ?? 2),
  };
}
