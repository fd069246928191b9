import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import type { CompletedPart, S3Client } from '@aws-sdk/client-s3';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { ArchiveError } from './errors';

/** An object written to S3, with its exact version and digest. */
export interface WrittenObject {
  readonly key: string;
  readonly versionId: string;
  readonly bytes: number;
  readonly sha256: string;
}

/**
 * A writable stream that uploads what it receives to S3 with a bounded buffer: parts of
 * `partSize` bytes go out one at a time through a multipart upload (the stream applies
 * backpressure while a part is in flight), so memory stays flat whatever the object's size.
 * An object smaller than one part is sent with a single PutObject. SHA-256 is computed on the way.
 * `@aws-sdk/lib-storage` is not installed in this project, hence this small implementation.
 */
export class S3UploadSink extends Writable {
  private readonly hash = createHash('sha256');
  private chunks: Buffer[] = [];
  private buffered = 0;
  private total = 0;
  private uploadId: string | undefined;
  private readonly parts: CompletedPart[] = [];
  private written: WrittenObject | undefined;
  /** The S3 call under way, which a failure must let settle before aborting the upload. */
  private inFlight: Promise<void> = Promise.resolve();

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly key: string,
    private readonly partSize: number,
    private readonly contentType: string,
  ) {
    super({ highWaterMark: 1024 * 1024 });
  }

  /** The stored object; available once the stream has finished. */
  result(): WrittenObject {
    if (!this.written) throw new Error(`upload of ${this.key} has not finished`);
    return this.written;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error) => void): void {
    this.hash.update(chunk);
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    this.total += chunk.length;
    if (this.buffered < this.partSize) return done();
    this.inFlight = this.uploadPart();
    this.inFlight.then(() => done(), done);
  }

  override _final(done: (error?: Error) => void): void {
    this.inFlight = this.finish();
    this.inFlight.then(() => done(), done);
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    const abort = async (): Promise<void> => {
      await this.inFlight.catch(() => undefined);
      if (this.uploadId === undefined || this.written) return;
      const uploadId = this.uploadId;
      this.uploadId = undefined;
      await this.s3.send(
        new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: this.key, UploadId: uploadId }),
      );
    };
    // A leftover upload that cannot be aborted now is aborted by the next run anyway.
    abort().then(
      () => done(error),
      () => done(error),
    );
  }

  private takeBuffer(): Buffer {
    const body = Buffer.concat(this.chunks, this.buffered);
    this.chunks = [];
    this.buffered = 0;
    return body;
  }

  private async uploadPart(): Promise<void> {
    if (this.uploadId === undefined) {
      const created = await this.s3.send(
        new CreateMultipartUploadCommand({
          Bucket: this.bucket,
          Key: this.key,
          ContentType: this.contentType,
          ChecksumAlgorithm: 'CRC32',
        }),
      );
      if (!created.UploadId) throw new Error(`no UploadId for ${this.key}`);
      this.uploadId = created.UploadId;
    }
    const PartNumber = this.parts.length + 1;
    const part = await this.s3.send(
      new UploadPartCommand({
        Bucket: this.bucket,
        Key: this.key,
        UploadId: this.uploadId,
        PartNumber,
        Body: this.takeBuffer(),
        ChecksumAlgorithm: 'CRC32',
      }),
    );
    this.parts.push({ PartNumber, ETag: part.ETag, ChecksumCRC32: part.ChecksumCRC32 });
  }

  private async finish(): Promise<void> {
    let versionId: string | undefined;
    if (this.uploadId === undefined) {
      const put = await this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.key,
          Body: this.takeBuffer(),
          ContentType: this.contentType,
          ChecksumAlgorithm: 'CRC32',
        }),
      );
      versionId = put.VersionId;
    } else {
      if (this.buffered > 0) await this.uploadPart();
      const completed = await this.s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: this.key,
          UploadId: this.uploadId,
          MultipartUpload: { Parts: this.parts },
        }),
      );
      versionId = completed.VersionId;
    }
    if (!versionId) {
      throw new ArchiveError(
        'ARCHIVE_INTEGRITY',
        `bucket ${this.bucket} returned no VersionId: the archive bucket must be versioned`,
      );
    }
    this.written = {
      key: this.key,
      versionId,
      bytes: this.total,
      sha256: this.hash.digest('hex'),
    };
  }
}
