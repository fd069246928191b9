import type { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { ArchiveError } from './errors';
import type { FileCopy, LiveFile } from './file-copy';
import { progressKey } from './keys';
import type { LiveVersions } from './live-versions';
import { deleteVersions, listAllVersions } from './object-versions';
import type { TableExport } from './table-export';

export const PROGRESS_FORMAT = 'tenant-archive-progress/v1';

/**
 * The manifest in progress: what the first run fixed (creation time, lock end, the tables and
 * the exact file versions to archive) and what is done so far. Written after every unit of
 * work, so that a crashed or out-of-time run resumes where it stopped and every retry builds
 * the same archive. Deleted once the manifest exists (the manifest then is authoritative).
 */
export interface ArchiveProgress {
  readonly format: typeof PROGRESS_FORMAT;
  readonly tenantId: string;
  readonly archiveId: string;
  readonly schema: string;
  readonly createdAt: string;
  readonly retainUntil: string;
  /** The tenant tables discovered at the first run, by name. */
  readonly tables: readonly string[];
  /**
   * Per table, the cut points of its chunks in primary key order (see `table-chunks.ts`), fixed
   * at the first run; a table absent here (or a progress written before chunks) is one chunk.
   */
  readonly chunks?: Readonly<Record<string, readonly string[]>>;
  /** The exact current file versions found at the first run. */
  readonly files: readonly LiveFile[];
  /** Every version and delete marker of the tenant's files in both buckets: all it may delete. */
  readonly liveVersions: LiveVersions;
  readonly exported: readonly TableExport[];
  readonly copied: readonly FileCopy[];
}

const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

function parseProgress(text: string, tenantId: string, archiveId: string): ArchiveProgress {
  const fail = (why: string): never => {
    throw new ArchiveError('ARCHIVE_INTEGRITY', `progress of ${tenantId}/${archiveId} ${why}`);
  };
  let value: Partial<ArchiveProgress>;
  try {
    value = JSON.parse(text) as Partial<ArchiveProgress>;
  } catch {
    return fail('is not valid JSON');
  }
  if (value.format !== PROGRESS_FORMAT) fail(`has format ${String(value.format)}`);
  if (value.tenantId !== tenantId || value.archiveId !== archiveId) fail('names another archive');
  if (!isText(value.schema) || Number.isNaN(Date.parse(value.retainUntil ?? ''))) {
    fail('lacks schema or retainUntil');
  }
  for (const list of ['tables', 'files', 'exported', 'copied'] as const) {
    if (!Array.isArray(value[list])) fail(`lacks ${list}`);
  }
  if (value.chunks !== undefined) {
    const lists =
      typeof value.chunks === 'object' && value.chunks !== null
        ? value.chunks
        : fail('has bad chunks');
    for (const [table, cuts] of Object.entries(lists)) {
      if (!Array.isArray(cuts) || !cuts.every(isText)) fail(`has bad chunks of ${table}`);
    }
  }
  if (!Array.isArray(value.liveVersions?.primary) || !Array.isArray(value.liveVersions?.replica)) {
    fail('lacks liveVersions');
  }
  return value as ArchiveProgress;
}

/** The stored progress of an archive, or undefined when none was written (or it was discarded). */
export async function readProgress(
  s3: S3Client,
  bucket: string,
  tenantId: string,
  archiveId: string,
): Promise<ArchiveProgress | undefined> {
  const key = progressKey(tenantId, archiveId);
  try {
    const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const chunks: Buffer[] = [];
    for await (const chunk of (response.Body as Readable | undefined) ?? []) {
      chunks.push(chunk as Buffer);
    }
    return parseProgress(Buffer.concat(chunks).toString('utf8'), tenantId, archiveId);
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

export async function writeProgress(
  s3: S3Client,
  bucket: string,
  progress: ArchiveProgress,
): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: progressKey(progress.tenantId, progress.archiveId),
      Body: JSON.stringify(progress),
      ContentType: 'application/json',
      ChecksumAlgorithm: 'SHA256',
    }),
  );
}

/** Deletes every version of the progress object (unlocked: locks come only with the manifest). */
export async function discardProgress(
  s3: S3Client,
  bucket: string,
  tenantId: string,
  archiveId: string,
): Promise<number> {
  const key = progressKey(tenantId, archiveId);
  const versions = (await listAllVersions(s3, bucket, key)).filter((v) => v.key === key);
  return deleteVersions(s3, bucket, versions);
}

/** `key@versionId` of every archive object the progress pins (what a resume must keep). */
export function pinnedVersions(progress: ArchiveProgress): Set<string> {
  return new Set([...progress.exported, ...progress.copied].map((o) => `${o.key}@${o.versionId}`));
}
