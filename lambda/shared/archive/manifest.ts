import type { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { ArchiveError } from './errors';
import type { FileCopy } from './file-copy';
import { manifestKey } from './keys';
import type { LiveVersions } from './live-versions';
import type { ChunkRange } from './table-chunks';
import type { TableExport } from './table-export';

/** v2: a table may be archived in chunks (several entries of `tables`, see `chunk`). */
export const MANIFEST_FORMAT = 'tenant-archive/v2';
/** Manifests written before chunks: one entry per table. Still read, verified and deleted. */
export const MANIFEST_FORMAT_V1 = 'tenant-archive/v1';

export interface ManifestTable {
  readonly table: string;
  readonly key: string;
  readonly versionId: string;
  readonly rows: number;
  /** Digest of the rows' content at export (absent in manifests written before it existed). */
  readonly rowsDigest?: string;
  readonly bytes: number;
  readonly sha256: string;
  /**
   * Which chunk of its table this object holds (rows, digest, bounds in primary key order); a
   * table in chunks has one entry per chunk, their rows and digests add up to the table's.
   * Absent for a table in one chunk (and in every v1 manifest).
   */
  readonly chunk?: ChunkRange;
}

/**
 * The archive's table of contents, written last, once every data object exists: its presence
 * means "export complete". It pins every object by version id and SHA-256; it is locked like the
 * data and never rewritten, so a rerun trusts it over the (possibly already emptied) live data.
 */
export interface ArchiveManifest {
  readonly format: typeof MANIFEST_FORMAT | typeof MANIFEST_FORMAT_V1;
  readonly tenantId: string;
  readonly archiveId: string;
  readonly schema: string;
  readonly createdAt: string;
  readonly retainUntil: string;
  readonly lockMode: 'COMPLIANCE';
  readonly rowCounts: Record<string, number>;
  readonly objectCount: number;
  readonly tables: readonly ManifestTable[];
  readonly files: readonly FileCopy[];
  /**
   * Every live version and delete marker of the tenant's files when the archive was planned:
   * exactly what the archive may delete (absent in manifests written before it existed).
   */
  readonly liveVersions?: LiveVersions;
}

export interface StoredManifest {
  readonly manifest: ArchiveManifest;
  readonly key: string;
  readonly versionId: string;
}

export function buildManifest(input: {
  tenantId: string;
  archiveId: string;
  schema: string;
  createdAt: Date;
  retainUntil: Date;
  tables: readonly TableExport[];
  files: readonly FileCopy[];
  liveVersions: LiveVersions;
}): ArchiveManifest {
  const tables = [...input.tables]
    .sort((a, b) =>
      a.table === b.table
        ? (a.chunk?.index ?? 1) - (b.chunk?.index ?? 1)
        : a.table < b.table
          ? -1
          : 1,
    )
    .map(({ table, key, versionId, rows, rowsDigest, bytes, sha256, chunk }) => ({
      table,
      key,
      versionId,
      rows,
      rowsDigest,
      bytes,
      sha256,
      ...(chunk ? { chunk } : {}),
    }));
  const rowCounts: Record<string, number> = {};
  for (const t of tables) rowCounts[t.table] = (rowCounts[t.table] ?? 0) + t.rows;
  return {
    format: MANIFEST_FORMAT,
    tenantId: input.tenantId,
    archiveId: input.archiveId,
    schema: input.schema,
    createdAt: input.createdAt.toISOString(),
    retainUntil: input.retainUntil.toISOString(),
    lockMode: 'COMPLIANCE',
    rowCounts,
    objectCount: tables.length + input.files.length,
    tables,
    files: [...input.files].sort((a, b) => (a.key < b.key ? -1 : 1)),
    liveVersions: input.liveVersions,
  };
}

/** Every object the manifest pins (not the manifest itself). */
export function manifestObjects(manifest: ArchiveManifest): {
  key: string;
  versionId: string;
  bytes: number;
  sha256: string;
  rows?: number;
  checksumSha256?: string;
}[] {
  return [...manifest.tables, ...manifest.files];
}

const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isSha = (v: unknown): boolean => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);

export function parseManifest(text: string, tenantId: string, archiveId: string): ArchiveManifest {
  const fail = (why: string): never => {
    throw new ArchiveError('ARCHIVE_INTEGRITY', `manifest of ${tenantId}/${archiveId} ${why}`);
  };
  let value: Partial<ArchiveManifest>;
  try {
    value = JSON.parse(text) as Partial<ArchiveManifest>;
  } catch {
    return fail('is not valid JSON');
  }
  if (value.format !== MANIFEST_FORMAT && value.format !== MANIFEST_FORMAT_V1) {
    fail(`has format ${String(value.format)}`);
  }
  if (value.tenantId !== tenantId || value.archiveId !== archiveId) fail('names another archive');
  if (!isText(value.schema) || value.lockMode !== 'COMPLIANCE') fail('lacks schema or lock mode');
  if (Number.isNaN(Date.parse(value.retainUntil ?? ''))) fail('has no valid retainUntil');
  if (!Array.isArray(value.tables) || !Array.isArray(value.files)) fail('lacks tables or files');
  for (const t of value.tables ?? []) {
    const ok = isText(t.table) && isText(t.key) && isText(t.versionId) && isCount(t.rows);
    if (!ok || !isCount(t.bytes) || !isSha(t.sha256)) fail(`has a bad table entry`);
    if (t.rowsDigest !== undefined && !/^-?[0-9]+$/.test(t.rowsDigest)) {
      fail(`has a bad row digest for ${t.table}`);
    }
  }
  for (const [table, entries] of entriesByTable(value.tables ?? [])) {
    const why = chunkProblem(entries, value.format === MANIFEST_FORMAT_V1);
    if (why) fail(`has bad chunks of ${table}: ${why}`);
    const rows = entries.reduce((sum, t) => sum + t.rows, 0);
    if (value.rowCounts?.[table] !== rows) fail(`disagrees on rows of ${table}`);
  }
  const tableNames = new Set((value.tables ?? []).map((t) => t.table));
  if (Object.keys(value.rowCounts ?? {}).some((t) => !tableNames.has(t))) {
    fail('counts rows of a table it does not hold');
  }
  for (const f of value.files ?? []) {
    const ok = isText(f.key) && isText(f.versionId) && isText(f.sourceKey) && isCount(f.bytes);
    if (!ok || !isSha(f.sha256)) fail('has a bad file entry');
    if (
      f.checksumSha256 !== undefined &&
      !/^[A-Za-z0-9+/]{43}=(-[0-9]+)?$/.test(f.checksumSha256)
    ) {
      fail(`has a bad S3 checksum for ${f.sourceKey}`);
    }
  }
  if (value.liveVersions !== undefined) {
    const { primary, replica } = value.liveVersions;
    const good = (list: unknown) =>
      Array.isArray(list) &&
      list.every(
        (v: { key?: unknown; versionId?: unknown }) => isText(v.key) && isText(v.versionId),
      );
    if (!good(primary) || !good(replica)) fail('has bad liveVersions');
  }
  if (value.objectCount !== (value.tables?.length ?? 0) + (value.files?.length ?? 0)) {
    fail('has a wrong objectCount');
  }
  return value as ArchiveManifest;
}

/** The manifest's table entries grouped by table, in manifest order. */
export function entriesByTable(tables: readonly ManifestTable[]): Map<string, ManifestTable[]> {
  const byTable = new Map<string, ManifestTable[]>();
  for (const t of tables) byTable.set(t.table, [...(byTable.get(t.table) ?? []), t]);
  return byTable;
}

/**
 * Why the entries of one table do not tile its primary key order, or undefined: one entry
 * without `chunk`, or chunks 1..n in order, each starting where the previous ended, the first
 * and last open.
 */
function chunkProblem(entries: readonly ManifestTable[], v1: boolean): string | undefined {
  const [first] = entries;
  if (entries.length === 1 && first?.chunk === undefined) return undefined;
  if (v1) return 'a v1 manifest holds one entry per table';
  for (const [i, t] of entries.entries()) {
    const c = t.chunk;
    if (!c || c.index !== i + 1 || c.count !== entries.length)
      return `entry ${i + 1} is misnumbered`;
    const after = entries[i - 1]?.chunk?.through;
    const ok = (x: unknown) => x === undefined || isText(x);
    if (!ok(c.after) || !ok(c.through) || c.after !== after)
      return `chunk ${i + 1} does not start where ${i} ended`;
    if ((i === entries.length - 1) !== (c.through === undefined))
      return `only the last chunk is open-ended`;
  }
  return undefined;
}

/** The current manifest of an archive, or undefined when the export never completed. */
export async function readManifest(
  s3: S3Client,
  bucket: string,
  tenantId: string,
  archiveId: string,
): Promise<StoredManifest | undefined> {
  const key = manifestKey(tenantId, archiveId);
  try {
    const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const body = response.Body as Readable | undefined;
    const chunks: Buffer[] = [];
    for await (const chunk of body ?? []) chunks.push(chunk as Buffer);
    if (!response.VersionId) {
      throw new ArchiveError('ARCHIVE_INTEGRITY', `${key} has no version id: bucket not versioned`);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    return {
      manifest: parseManifest(text, tenantId, archiveId),
      key,
      versionId: response.VersionId,
    };
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

/**
 * Writes the manifest once: `If-None-Match: *` makes a second writer (a concurrent run) fail
 * rather than create another version.
 */
export async function writeManifest(
  s3: S3Client,
  bucket: string,
  manifest: ArchiveManifest,
): Promise<StoredManifest> {
  const key = manifestKey(manifest.tenantId, manifest.archiveId);
  try {
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: `${JSON.stringify(manifest, null, 2)}\n`,
        ContentType: 'application/json',
        ChecksumAlgorithm: 'SHA256',
        IfNoneMatch: '*',
      }),
    );
    if (!put.VersionId) {
      throw new ArchiveError('ARCHIVE_INTEGRITY', `${key} has no version id: bucket not versioned`);
    }
    return { manifest, key, versionId: put.VersionId };
  } catch (error) {
    if ((error as { name?: string }).name === 'PreconditionFailed') {
      throw new ArchiveError('ARCHIVE_CONFLICT', `${key} was written by a concurrent run`);
    }
    throw error;
  }
}
