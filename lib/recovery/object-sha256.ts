import type { S3Client } from '@aws-sdk/client-s3';
import { readObjectDigest } from '../../lambda/shared/archive/object-digest';

/**
 * The SHA-256 (base64, as S3 writes its checksums) of one exact object version's bytes: the
 * archive's streaming reader (`readObjectDigest`: memory flat, ChecksumMode on, so the SDK also
 * checks the body against any checksum S3 stores for the version), its hex digest re-encoded.
 */
export async function readSha256(
  s3: S3Client,
  bucket: string,
  key: string,
  versionId: string,
): Promise<{ sha256: string; bytes: number }> {
  const { sha256, bytes } = await readObjectDigest(s3, bucket, key, versionId);
  return { sha256: Buffer.from(sha256, 'hex').toString('base64'), bytes };
}
