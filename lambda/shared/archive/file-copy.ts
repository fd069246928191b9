import type { S3Client } from '@aws-sdk/client-s3';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
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

/** S3's limit on the parts of one multipart upload. */
const MAX_PARTS = 10_000;

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
  /** Larger files are copied in parts (UploadPartCopy); S3's own limit is 5 GiB. */
  readonly maxSingleCopyBytes: number;
  /** Part size of a multipart copy (raised when the file would need over 10,000 parts). */
  readonly partSizeBytes: number;
  /** Number of the first copy, for the `copy:<n>` fault steps. @default 1 */
  readonly firstIndex?: number;
  readonly faults?: FaultHook;
}

/**
 * Copies one exact source version in parts: server-side byte ranges (UploadPartCopy), each
 * part's CRC32 checked by S3; an upload that fails is aborted (a leftover is aborted by the
 * next run anyway). Returns the new version id.
 */
async function copyInParts(
  target: FileCopyTarget,
  file: LiveFile,
  key: string,
  copySource: string,
): Promise<string | undefined> {
  const { s3, archiveBucket: Bucket } = target;
  const partSize = Math.max(target.partSizeBytes, Math.ceil(file.size / MAX_PARTS));
  const created = await s3.send(
    new CreateMultipartUploadCommand({ Bucket, Key: key, ChecksumAlgorithm: 'CRC32' }),
  );
  const UploadId = created.UploadId;
  if (!UploadId) throw new Error(`no UploadId for ${key}`);
  try {
    const parts: { PartNumber: number; ETag?: string; ChecksumCRC32?: string }[] = [];
    for (let first = 0, PartNumber = 1; first < file.size; first += partSize, PartNumber++) {
      const last = Math.min(first + partSize, file.size) - 1;
      const part = await s3.send(
        new UploadPartCopyCommand({
          Bucket,
          Key: key,
          UploadId,
          PartNumber,
          CopySource: copySource,
          CopySourceRange: `bytes=${first}-${last}`,
        }),
      );
      parts.push({
        PartNumber,
        ETag: part.CopyPartResult?.ETag,
        ...(part.CopyPartResult?.ChecksumCRC32
          ? { ChecksumCRC32: part.CopyPartResult.ChecksumCRC32 }
          : {}),
      });
    }
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key: key,
        UploadId,
        MultipartUpload: { Parts: parts },
      }),
    );
    return done.VersionId;
  } catch (error) {
    await s3
      .send(new AbortMultipartUploadCommand({ Bucket, Key: key, UploadId }))
      .catch(() => undefined);
    throw error;
  }
}

/**
 * Copies each exact source version server-side into `archive/<t>/<a>/files/` (in parts above
 * `maxSingleCopyBytes`), then re-reads the copy to record its SHA-256. Fault step `copy:<n>`
 * after the n-th copy (1-based, counted from `firstIndex`).
 */
export async function copyFiles(target: FileCopyTarget, files: LiveFile[]): Promise<FileCopy[]> {
  let copied = (target.firstIndex ?? 1) - 1;
  return mapBounded(files, target.concurrency, async (file) => {
    const key = archivedFileKey(target.tenantId, target.archiveId, file.key);
    const copySource = `${target.sourceBucket}/${encodeURIComponent(file.key)}?versionId=${encodeURIComponent(file.versionId)}`;
    const versionId =
      file.size > target.maxSingleCopyBytes
        ? await copyInParts(target, file, key, copySource)
        : (
            await target.s3.send(
              new CopyObjectCommand({
                Bucket: target.archiveBucket,
                Key: key,
                CopySource: copySource,
                MetadataDirective: 'COPY',
              }),
            )
          ).VersionId;
    if (!versionId) {
      throw new ArchiveError(
        'ARCHIVE_INTEGRITY',
        `no VersionId copying to ${key}: bucket not versioned`,
      );
    }
    const digest = await readObjectDigest(target.s3, target.archiveBucket, key, versionId);
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
      versionId,
      bytes: digest.bytes,
      sha256: digest.sha256,
    };
  });
}
