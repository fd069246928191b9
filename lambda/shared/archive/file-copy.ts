import type { S3Client } from '@aws-sdk/client-s3';
import { CopyObjectCommand } from '@aws-sdk/client-s3';
import { mapBounded } from './bounded-concurrency';
import { ArchiveError } from './errors';
import type { FaultHook } from './contracts';
import { archivedFileKey, tenantFilesPrefix } from './keys';
import { readObjectDigest } from './object-digest';
import { listAllVersions } from './object-versions';

/** A live file copied into the archive. */
export interface FileCopy {
  readonly sourceKey: string;
  readonly sourceVersionId: string;
  readonly key: string;
  readonly versionId: string;
  readonly bytes: number;
  readonly sha256: string;
}

export interface LiveFile {
  readonly key: string;
  readonly versionId: string;
  readonly size: number;
}

/** Largest object a single CopyObject accepts. */
const MAX_SINGLE_COPY_BYTES = 5 * 1024 ** 3;

/** The tenant's current files (latest versions that are not delete markers), by key. */
export async function listCurrentFiles(
  s3: S3Client,
  bucket: string,
  tenantId: string,
): Promise<LiveFile[]> {
  const refs = await listAllVersions(s3, bucket, tenantFilesPrefix(tenantId));
  return refs
    .filter((r) => r.isLatest && !r.deleteMarker)
    .map((r) => ({ key: r.key, versionId: r.versionId, size: r.size }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export interface FileCopyTarget {
  readonly s3: S3Client;
  readonly sourceBucket: string;
  readonly archiveBucket: string;
  readonly tenantId: string;
  readonly archiveId: string;
  readonly concurrency: number;
  readonly faults?: FaultHook;
}

/**
 * Copies each exact source version server-side into `archive/<t>/<a>/files/`, then re-reads the
 * copy to record its SHA-256. Fault step `copy:<n>` after the n-th copy (1-based).
 */
export async function copyFiles(target: FileCopyTarget, files: LiveFile[]): Promise<FileCopy[]> {
  const tooLarge = files.find((f) => f.size > MAX_SINGLE_COPY_BYTES);
  if (tooLarge) {
    throw new ArchiveError(
      'ARCHIVE_INTEGRITY',
      `${tooLarge.key} is ${tooLarge.size} bytes: files over 5 GiB need a multipart copy, not supported`,
    );
  }
  let copied = 0;
  return mapBounded(files, target.concurrency, async (file) => {
    const key = archivedFileKey(target.tenantId, target.archiveId, file.key);
    const copy = await target.s3.send(
      new CopyObjectCommand({
        Bucket: target.archiveBucket,
        Key: key,
        CopySource: `${target.sourceBucket}/${encodeURIComponent(file.key)}?versionId=${encodeURIComponent(file.versionId)}`,
        MetadataDirective: 'COPY',
      }),
    );
    if (!copy.VersionId) {
      throw new ArchiveError(
        'ARCHIVE_INTEGRITY',
        `no VersionId copying to ${key}: bucket not versioned`,
      );
    }
    const digest = await readObjectDigest(target.s3, target.archiveBucket, key, copy.VersionId);
    if (digest.bytes !== file.size) {
      throw new ArchiveError(
        'ARCHIVE_INTEGRITY',
        `copy of ${file.key} has ${digest.bytes} bytes, source ${file.size}`,
      );
    }
    copied++;
    await target.faults?.(`copy:${copied}`);
    return {
      sourceKey: file.key,
      sourceVersionId: file.versionId,
      key,
      versionId: copy.VersionId,
      bytes: digest.bytes,
      sha256: digest.sha256,
    };
  });
}
