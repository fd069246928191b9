import type { S3Client } from '@aws-sdk/client-s3';
import { DeleteObjectsCommand, ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { ArchiveError } from './errors';

/** One object version or delete marker. */
export interface VersionRef {
  readonly key: string;
  readonly versionId: string;
  readonly deleteMarker: boolean;
  readonly isLatest: boolean;
  readonly size: number;
  /** The version's ETag ('' for a delete marker); replication keeps it. */
  readonly etag: string;
}

/** One page of versions and delete markers under `prefix`. */
async function listPage(
  s3: S3Client,
  bucket: string,
  prefix: string,
  keyMarker?: string,
  versionIdMarker?: string,
): Promise<{ refs: VersionRef[]; next?: { key: string; versionId: string } }> {
  const page = await s3.send(
    new ListObjectVersionsCommand({
      Bucket: bucket,
      Prefix: prefix,
      KeyMarker: keyMarker,
      VersionIdMarker: versionIdMarker,
    }),
  );
  const refs: VersionRef[] = [
    ...(page.Versions ?? []).map((v) => ({
      key: v.Key ?? '',
      versionId: v.VersionId ?? 'null',
      deleteMarker: false,
      isLatest: v.IsLatest ?? false,
      size: v.Size ?? 0,
      etag: v.ETag ?? '',
    })),
    ...(page.DeleteMarkers ?? []).map((m) => ({
      key: m.Key ?? '',
      versionId: m.VersionId ?? 'null',
      deleteMarker: true,
      isLatest: m.IsLatest ?? false,
      size: 0,
      etag: '',
    })),
  ];
  const next =
    page.IsTruncated && page.NextKeyMarker
      ? { key: page.NextKeyMarker, versionId: page.NextVersionIdMarker ?? '' }
      : undefined;
  return next ? { refs, next } : { refs };
}

/** Every version and delete marker under `prefix`. */
export async function listAllVersions(
  s3: S3Client,
  bucket: string,
  prefix: string,
): Promise<VersionRef[]> {
  const all: VersionRef[] = [];
  let marker: { key: string; versionId: string } | undefined;
  do {
    const page = await listPage(s3, bucket, prefix, marker?.key, marker?.versionId);
    all.push(...page.refs);
    marker = page.next;
  } while (marker);
  return all;
}

function assertScopedPrefix(prefix: string): void {
  // Guard against a bug turning a tenant deletion into a bucket-wide one.
  if (!/^(tenants\/[^/]+\/|archive\/[^/]+\/[^/]+\/)$/.test(prefix)) {
    throw new Error(`refusing to delete versions under unscoped prefix ${JSON.stringify(prefix)}`);
  }
}

/** Deletes the given versions, failing on the first version S3 refuses (never ignored). */
export async function deleteVersions(
  s3: S3Client,
  bucket: string,
  refs: readonly VersionRef[],
): Promise<number> {
  for (let start = 0; start < refs.length; start += 1000) {
    const batch = refs.slice(start, start + 1000);
    const result = await s3.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: {
          Quiet: true,
          Objects: batch.map((r) => ({ Key: r.key, VersionId: r.versionId })),
        },
      }),
    );
    const errors = result.Errors ?? [];
    if (errors.length > 0) {
      throw new ArchiveError(
        'DELETE_REFUSED',
        `s3://${bucket} refused to delete ${errors.length} version(s), first ` +
          `${errors[0]?.Key}?versionId=${errors[0]?.VersionId}: ${errors[0]?.Code} ${errors[0]?.Message}`,
        { bucket, refused: errors.slice(0, 20).map((e) => ({ key: e.Key, code: e.Code })) },
      );
    }
  }
  return refs.length;
}

/**
 * Deletes every version and delete marker under `prefix`, a page at a time (memory stays flat),
 * then lists again: returns only once nothing is left, and the number of versions it deleted.
 */
export async function deleteEveryVersion(
  s3: S3Client,
  bucket: string,
  prefix: string,
): Promise<number> {
  assertScopedPrefix(prefix);
  let deleted = 0;
  for (let round = 0; ; round++) {
    const page = await listPage(s3, bucket, prefix);
    if (page.refs.length === 0) return deleted;
    if (round > 0 && round % 1000 === 0 && deleted === 0) {
      throw new ArchiveError('DELETE_REFUSED', `no progress deleting s3://${bucket}/${prefix}`);
    }
    deleted += await deleteVersions(s3, bucket, page.refs);
  }
}
