import { createHash } from 'node:crypto';
import { Transform, Writable } from 'node:stream';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { ObjectLockMode, S3Client } from '@aws-sdk/client-s3';
import { GetObjectCommand } from '@aws-sdk/client-s3';

/** What re-reading one object version yields. */
export interface ObjectDigest {
  readonly bytes: number;
  readonly sha256: string;
  /** Newline count of the gunzipped body (JSON Lines rows), when asked for. */
  readonly lines?: number;
  readonly lockMode?: ObjectLockMode;
  readonly retainUntil?: Date;
  /** The SHA-256 additional checksum S3 stores for the version (base64), when it has one. */
  readonly checksumSha256?: string;
}

/**
 * Streams one exact object version and returns its size and SHA-256 (and, for gzip JSON Lines,
 * the number of lines after decompression, which also checks the gzip trailer's CRC), with the
 * Object Lock retention and the SHA-256 additional checksum that S3 reports for that version
 * (asked for with ChecksumMode, so the SDK also checks the body against it). Memory stays flat.
 */
export async function readObjectDigest(
  s3: S3Client,
  bucket: string,
  key: string,
  versionId: string,
  options: { countGzipLines?: boolean } = {},
): Promise<ObjectDigest> {
  const response = await s3.send(
    new GetObjectCommand({
      Bucket: bucket,
      Key: key,
      VersionId: versionId,
      ChecksumMode: 'ENABLED',
    }),
  );
  const body = response.Body as Readable | undefined;
  if (!body) throw new Error(`s3://${bucket}/${key}?versionId=${versionId} has no body`);
  const hash = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  let lines = 0;
  const newlines = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      done();
    },
  });
  const drain = new Writable({ write: (_chunk, _encoding, done) => done() });
  if (options.countGzipLines) await pipeline(body, tap, createGunzip(), newlines);
  else await pipeline(body, tap, drain);
  return {
    bytes,
    sha256: hash.digest('hex'),
    ...(options.countGzipLines ? { lines } : {}),
    ...(response.ObjectLockMode ? { lockMode: response.ObjectLockMode } : {}),
    ...(response.ObjectLockRetainUntilDate
      ? { retainUntil: new Date(response.ObjectLockRetainUntilDate) }
      : {}),
    ...(response.ChecksumSHA256 ? { checksumSha256: response.ChecksumSHA256 } : {}),
  };
}
