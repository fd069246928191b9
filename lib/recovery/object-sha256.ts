import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import { GetObjectCommand } from '@aws-sdk/client-s3';

/**
 * The SHA-256 (base64, as S3 writes its checksums) of one exact object version's bytes, read as a
 * stream (memory stays flat). ChecksumMode is on, so the SDK also checks the body against any
 * checksum S3 stores for the version (a CRC, say).
 */
export async function readSha256(
  s3: S3Client,
  bucket: string,
  key: string,
  versionId: string,
): Promise<{ sha256: string; bytes: number }> {
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
  await pipeline(
    body,
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        bytes += chunk.length;
        done();
      },
    }),
  );
  return { sha256: hash.digest('base64'), bytes };
}
