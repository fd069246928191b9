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
  /**
   * The SHA-256 additional checksum S3 computed while copying (base64; `<b64>-<parts>` for a
   * multipart copy), absent in manifests written before it existed.
   */
  readonly checksumSha256?: string;
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
 * part's SHA-256 checksum computed and checked by S3; an upload that fails is aborted (a leftover is aborted by the
 * next run anyway). Returns the new version id.
 */
async function copyInParts(
  target: FileCopyTarget,
  file: LiveFile,
  key: string,
  copySource: string,
): Promise<{ versionId?: string; checksum?: string }> {
  const { s3, archiveBucket: Bucket } = target;
  const partSize = Math.max(target.partSizeBytes, Math.ceil(file.size / MAX_PARTS));
  const created = await s3.send(
    new CreateMultipartUploadCommand({ Bucket, Key: key, ChecksumAlgorithm: 'SHA256' }),
  );
  const UploadId = created.UploadId;
  if (!UploadId) throw new Error(`no UploadId for ${key}`);
  try {
    const parts: { PartNumber: number; ETag?: string; ChecksumSHA256?: string }[] = [];
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
        ...(part.CopyPartResult?.ChecksumSHA256
          ? { ChecksumSHA256: part.CopyPartResult.ChecksumSHA256 }
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
    return {
      ...(done.VersionId ? { versionId: done.VersionId } : {}),
      ...(done.ChecksumSHA256 ? { checksum: done.ChecksumSHA256 } : {}),
    };
  } catch (error) {
    await s3
      .send(new AbortMultipartUploadCommand({ Bucket, Key: key, UploadId }))
      .catch(() => undefined);
    throw error;
  }
}

/** Copies one exact version in one request, S3 computing its SHA-256 additional checksum. */
async function copyWhole(
  target: FileCopyTarget,
  key: string,
  copySource: string,
): Promise<{ versionId?: string; checksum?: string }> {
  const copied = await target.s3.send(
    new CopyObjectCommand({
      Bucket: target.archiveBucket,
      Key: key,
      CopySource: copySource,
      MetadataDirective: 'COPY',
      ChecksumAlgorithm: 'SHA256',
    }),
  );
  const checksum = copied.CopyObjectResult?.ChecksumSHA256;
  return {
    ...(copied.VersionId ? { versionId: copied.VersionId } : {}),
    ...(checksum ? { checksum } : {}),
  };
}

/**
 * Whether S3's SHA-256 additional checksum disagrees with the SHA-256 of the bytes read back. A
 * composite checksum (`<b64>-<parts>`, multipart) is a digest of the parts' digests, which S3
 * checked part by part: it is recorded, not compared with the whole-object digest.
 */
export function checksumDisagrees(s3Checksum: string | undefined, sha256Hex: string): boolean {
  if (!s3Checksum || s3Checksum.includes('-')) return false;
  return Buffer.from(sha256Hex, 'hex').toString('base64') !== s3Checksum;
}

/**
 * Copies each exact source version server-side into `archive/<t>/<a>/files/` (in parts above
 * `maxSingleCopyBytes`) with S3 computing a SHA-256 additional checksum of the bytes it copied,
 * then re-reads the copy: its size must be the source's and its SHA-256 the checksum S3
 * computed, else ARCHIVE_INTEGRITY. Fault step `copy:<n>` after the n-th copy (1-based, counted
 * from `firstIndex`).
 */
export async function copyFiles(target: FileCopyTarget, files: LiveFile[]): Promise<FileCopy[]> {
  let copied = (target.firstIndex ?? 1) - 1;
  return mapBounded(files, target.concurrency, async (file) => {
    const key = archivedFileKey(target.tenantId, target.archiveId, file.key);
    const copySource = `${target.sourceBucket}/${encodeURIComponent(file.key)}?versionId=${encodeURIComponent(file.versionId)}`;
    const { versionId, checksum } =
      file.size > target.maxSingleCopyBytes
        ? await copyInParts(target, file, key, copySource)
        : await copyWhole(target, key, copySource);
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
    if (checksumDisagrees(checksum, digest.sha256)) {
      throw new ArchiveError(
        'ARCHIVE_INTEGRITY',
        `copy of ${file.key}: S3's SHA-256 checksum ${checksum} differs from the bytes read back ` +
          `(${digest.sha256})`,
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
      ...(checksum ? { checksumSha256: checksum } : {}),
    };
  });
}
