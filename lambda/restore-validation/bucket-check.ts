import type { S3Client } from '@aws-sdk/client-s3';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { CheckResult } from './check-result';

/** `arn:aws:s3:::name` -> `name`. */
export function bucketNameOf(arn: string): string {
  const match = /^arn:aws[a-z-]*:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])$/.exec(arn);
  if (!match) throw new Error(`"${arn}" is not an S3 bucket ARN`);
  return match[1];
}

/**
 * The restored bucket is readable: list one key and read its first bytes (a real GET through the
 * bucket's encryption). An empty bucket passes with a message saying so: there was nothing to read.
 */
export async function checkRestoredBucket(s3: S3Client, bucketArn: string): Promise<CheckResult> {
  const bucket = bucketNameOf(bucketArn);
  const listing = await s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1 }));
  const key = listing.Contents?.[0]?.Key;
  if (!key) {
    return { ok: true, message: `restored bucket ${bucket} is empty: nothing to read` };
  }
  const object = await s3.send(
    new GetObjectCommand({ Bucket: bucket, Key: key, Range: 'bytes=0-1023' }),
  );
  if (!object.Body) return { ok: false, message: `GET ${bucket}/${key} returned no body` };
  const bytes = await object.Body.transformToByteArray();
  return {
    ok: true,
    message: `read ${bytes.length} bytes of ${key} from restored bucket ${bucket}`,
  };
}
