import type { PutObjectCommandInput, S3Client } from '@aws-sdk/client-s3';
import { GetObjectCommand, ListObjectVersionsCommand, PutObjectCommand } from '@aws-sdk/client-s3';

/** Small S3 object helpers of the moto tests: write, read back, list every version. */

/** PutObject (a PDF unless told otherwise); the new version's id. */
export async function put(
  s3: S3Client,
  Bucket: string,
  Key: string,
  Body: string | Buffer,
  extra: Partial<PutObjectCommandInput> = {},
): Promise<string> {
  const out = await s3.send(
    new PutObjectCommand({ Bucket, Key, Body, ContentType: 'application/pdf', ...extra }),
  );
  return out.VersionId!;
}

/** The current content of a key, or undefined when it has none. */
export async function body(s3: S3Client, Bucket: string, Key: string): Promise<string | undefined> {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket, Key }));
    return await out.Body?.transformToString();
  } catch (error) {
    if ((error as Error).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

/** Every version and delete marker of a bucket, `key@versionId`, sorted. */
export async function versionIds(s3: S3Client, Bucket: string): Promise<string[]> {
  const out = await s3.send(new ListObjectVersionsCommand({ Bucket }));
  return [...(out.Versions ?? []), ...(out.DeleteMarkers ?? [])]
    .map((v) => `${v.Key}@${v.VersionId}`)
    .sort();
}
