import type { HeadObjectCommandOutput, S3Client } from '@aws-sdk/client-s3';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectTaggingCommand,
  PutObjectLegalHoldCommand,
  PutObjectRetentionCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import type { ChangeGate } from './api-calls';
import type { LockChange } from './failback-plan';
import { fullObjectSha256, needsParts } from './failback-plan';
import { readSha256 } from './object-sha256';

/**
 * The changing S3 calls of `failback-files`: copy one version from the secondary region's bucket
 * into the primary's (CopyObject across regions, or UploadPartCopy parts above the single-copy
 * limit, as the archive worker copies), SSE-KMS with the primary's key and a SHA-256 checksum
 * checked against the source's; then the lock. Every call goes through the gate, so a dry run
 * prints the first call of each copy and makes none.
 */

/** S3's limit on the parts of one multipart upload. */
const MAX_PARTS = 10_000;

export interface CopyTarget {
  /** Client of the primary region (the destination; S3 reads the source across regions). */
  readonly s3: S3Client;
  /** Client of the secondary region, for the source's tags (a multipart copy carries no tags). */
  readonly sourceS3: S3Client;
  readonly gate: ChangeGate;
  readonly sourceBucket: string;
  readonly bucket: string;
  /** The primary bucket's KMS key ARN (see `bucketKeyArn`). */
  readonly keyArn: string;
  /** Larger objects are copied in parts. @default 5 GiB (CopyObject's limit) */
  readonly maxSingleCopyBytes?: number;
  /** Part size of a multipart copy (raised when it would need over 10,000 parts). */
  readonly partSizeBytes: number;
}

export interface CopySource {
  readonly key: string;
  readonly versionId: string;
  readonly size: number;
  readonly head: HeadObjectCommandOutput;
  /** The source's SHA-256 (base64): stored by S3, or read once. */
  readonly sha256: () => Promise<string>;
}

export interface CopyResult {
  readonly versionId: string;
  readonly sha256: string;
  readonly parts: number;
}

/** A copy whose checksum is not the source's (S3 refuses to delete it: it stays a version). */
export class ChecksumMismatch extends Error {
  override readonly name = 'ChecksumMismatch';
}

function copySource(bucket: string, key: string, versionId: string): string {
  const path = key.split('/').map(encodeURIComponent).join('/');
  return `${bucket}/${path}?versionId=${encodeURIComponent(versionId)}`;
}

function encryption(target: CopyTarget) {
  return {
    ServerSideEncryption: 'aws:kms' as const,
    SSEKMSKeyId: target.keyArn,
    BucketKeyEnabled: true,
  };
}

/**
 * Copy one version into the primary bucket at the same key, then check the SHA-256 of the copy
 * (S3's checksum of what it wrote, or the bytes read back after a multipart copy) against the
 * source's. `undefined` in a dry run.
 */
export async function copyToPrimary(
  target: CopyTarget,
  source: CopySource,
): Promise<CopyResult | undefined> {
  const multipart = needsParts(source.size, target.maxSingleCopyBytes);
  const made = multipart ? await copyInParts(target, source) : await copyWhole(target, source);
  if (!made) return undefined;
  if (!made.versionId) {
    throw new Error(
      `no VersionId copying to s3://${target.bucket}/${source.key}: bucket not versioned`,
    );
  }
  const copied =
    fullObjectSha256(made.checksum) ??
    (await readSha256(target.s3, target.bucket, source.key, made.versionId)).sha256;
  const expected = await source.sha256();
  if (copied !== expected) {
    throw new ChecksumMismatch(
      `the copy s3://${target.bucket}/${source.key}?versionId=${made.versionId} has SHA-256 ${copied}, the source ${expected}`,
    );
  }
  return { versionId: made.versionId, sha256: copied, parts: made.parts };
}

async function copyWhole(
  target: CopyTarget,
  source: CopySource,
): Promise<{ versionId?: string; checksum?: string; parts: number } | undefined> {
  const params = {
    Bucket: target.bucket,
    Key: source.key,
    CopySource: copySource(target.sourceBucket, source.key, source.versionId),
    MetadataDirective: 'COPY' as const,
    TaggingDirective: 'COPY' as const,
    ChecksumAlgorithm: 'SHA256' as const,
    ...encryption(target),
  };
  const out = await target.gate.run('s3:CopyObject', params, () =>
    target.s3.send(new CopyObjectCommand(params)),
  );
  if (!out) return undefined;
  return {
    ...(out.VersionId ? { versionId: out.VersionId } : {}),
    ...(out.CopyObjectResult?.ChecksumSHA256
      ? { checksum: out.CopyObjectResult.ChecksumSHA256 }
      : {}),
    parts: 1,
  };
}

/** Server-side byte ranges into one multipart upload; the metadata and tags set on its creation. */
async function copyInParts(
  target: CopyTarget,
  source: CopySource,
): Promise<{ versionId?: string; checksum?: string; parts: number } | undefined> {
  const { s3, bucket: Bucket } = target;
  const Key = source.key;
  const head = source.head;
  const tags = target.gate.dryRun
    ? undefined
    : await target.sourceS3.send(
        new GetObjectTaggingCommand({
          Bucket: target.sourceBucket,
          Key,
          VersionId: source.versionId,
        }),
      );
  const tagging = new URLSearchParams(
    (tags?.TagSet ?? []).map((t): [string, string] => [t.Key ?? '', t.Value ?? '']),
  ).toString();
  const create = {
    Bucket,
    Key,
    ChecksumAlgorithm: 'SHA256' as const,
    ...encryption(target),
    ContentType: head.ContentType,
    ContentEncoding: head.ContentEncoding,
    ContentDisposition: head.ContentDisposition,
    ContentLanguage: head.ContentLanguage,
    CacheControl: head.CacheControl,
    Metadata: head.Metadata,
    ...(tagging ? { Tagging: tagging } : {}),
  };
  const created = await target.gate.run('s3:CreateMultipartUpload', create, () =>
    s3.send(new CreateMultipartUploadCommand(create)),
  );
  if (!created) return undefined;
  const UploadId = created.UploadId;
  if (!UploadId) throw new Error(`no UploadId for s3://${Bucket}/${Key}`);
  const partSize = Math.max(target.partSizeBytes, Math.ceil(source.size / MAX_PARTS));
  const from = copySource(target.sourceBucket, Key, source.versionId);
  try {
    const parts: { PartNumber: number; ETag?: string; ChecksumSHA256?: string }[] = [];
    for (let first = 0, PartNumber = 1; first < source.size; first += partSize, PartNumber++) {
      const last = Math.min(first + partSize, source.size) - 1;
      const params = {
        Bucket,
        Key,
        UploadId,
        PartNumber,
        CopySource: from,
        CopySourceRange: `bytes=${first}-${last}`,
      };
      const part = await target.gate.run('s3:UploadPartCopy', params, () =>
        s3.send(new UploadPartCopyCommand(params)),
      );
      parts.push({
        PartNumber,
        ETag: part?.CopyPartResult?.ETag,
        ...(part?.CopyPartResult?.ChecksumSHA256
          ? { ChecksumSHA256: part.CopyPartResult.ChecksumSHA256 }
          : {}),
      });
    }
    const complete = { Bucket, Key, UploadId, MultipartUpload: { Parts: parts } };
    const done = await target.gate.run('s3:CompleteMultipartUpload', complete, () =>
      s3.send(new CompleteMultipartUploadCommand(complete)),
    );
    return { ...(done?.VersionId ? { versionId: done.VersionId } : {}), parts: parts.length };
  } catch (error) {
    // A leftover upload is removed by the bucket's lifecycle rule after 7 days anyway.
    await s3
      .send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId }))
      .catch(() => undefined);
    throw error;
  }
}

/**
 * Lock a copy at least as the source was: its retention and legal hold, by calls after the copy,
 * as the archive worker locks its copies (lockArchive). Object Lock headers on the copy request
 * itself would ask for a Content-MD5 that a CopyObject, without a body, has not (S3 documents the
 * requirement for uploads with lock parameters; moto refuses such a copy). A crash between the
 * copy and the lock leaves the copy unlocked until the rerun, whose plan locks it.
 */
export async function lockCopy(
  target: Pick<CopyTarget, 's3' | 'gate' | 'bucket'>,
  key: string,
  versionId: string,
  lock: LockChange,
): Promise<void> {
  const { s3, gate, bucket: Bucket } = target;
  if (lock.retention) {
    const params = {
      Bucket,
      Key: key,
      VersionId: versionId,
      Retention: { Mode: lock.retention.mode, RetainUntilDate: lock.retention.until },
    };
    await gate.run('s3:PutObjectRetention', params, () =>
      s3.send(new PutObjectRetentionCommand(params)),
    );
  }
  if (lock.legalHold) {
    const params = { Bucket, Key: key, VersionId: versionId, LegalHold: { Status: 'ON' as const } };
    await gate.run('s3:PutObjectLegalHold', params, () =>
      s3.send(new PutObjectLegalHoldCommand(params)),
    );
  }
}
