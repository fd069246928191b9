import type { S3Client } from '@aws-sdk/client-s3';
import { ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import type { KeyHistory, VersionEntry } from './version-plan';

/**
 * Every key under `prefix` with all its versions and delete markers, in key order, one key at a
 * time. Pages through ListObjectVersions; a key is yielded once the listing has moved past it, so
 * memory holds one page, not the bucket.
 */
export async function* keyHistories(
  s3: S3Client,
  bucket: string,
  prefix: string,
  /** Entries per ListObjectVersions page. @default S3's 1000 */
  pageSize?: number,
): AsyncGenerator<KeyHistory> {
  const pending = new Map<string, VersionEntry[]>();
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  for (;;) {
    const page = await s3.send(
      new ListObjectVersionsCommand({
        Bucket: bucket,
        Prefix: prefix,
        MaxKeys: pageSize,
        KeyMarker: keyMarker,
        VersionIdMarker: versionMarker,
      }),
    );
    const add = (key: string | undefined, entry: VersionEntry) => {
      if (!key) return;
      const list = pending.get(key) ?? [];
      list.push(entry);
      pending.set(key, list);
    };
    for (const v of page.Versions ?? []) {
      add(v.Key, {
        versionId: v.VersionId ?? 'null',
        lastModified: v.LastModified ?? new Date(0),
        isLatest: v.IsLatest ?? false,
        deleteMarker: false,
        etag: v.ETag,
        size: v.Size,
        storageClass: v.StorageClass,
      });
    }
    for (const m of page.DeleteMarkers ?? []) {
      add(m.Key, {
        versionId: m.VersionId ?? 'null',
        lastModified: m.LastModified ?? new Date(0),
        isLatest: m.IsLatest ?? false,
        deleteMarker: true,
      });
    }
    if (!page.IsTruncated) break;
    keyMarker = page.NextKeyMarker;
    versionMarker = page.NextVersionIdMarker;
    // Keys before the marker are complete; the marker's key may continue on the next page.
    for (const key of [...pending.keys()].sort()) {
      if (keyMarker !== undefined && key >= keyMarker) break;
      yield { key, entries: pending.get(key) ?? [] };
      pending.delete(key);
    }
  }
  for (const key of [...pending.keys()].sort()) {
    yield { key, entries: pending.get(key) ?? [] };
  }
}
