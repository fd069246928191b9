import type { S3Client } from '@aws-sdk/client-s3';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { CheckResult } from './check-result';
import { SENTINEL_OBJECT_BODY, SENTINEL_OBJECT_KEY } from './sentinel-object';

/** `arn:aws:s3:::name` -> `name`. */
export function bucketNameOf(arn: string): string {
  const match = /^arn:aws[a-z-]*:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])$/.exec(arn);
  if (!match) throw new Error(`"${arn}" is not an S3 bucket ARN`);
  return match[1];
}

function errorName(error: unknown): string | undefined {
  return (error as { name?: string } | null)?.name;
}

/**
 * The restored bucket holds the sentinel object the platform writes to the file bucket, with its
 * exact bytes (a real GET through the bucket's encryption). A bucket without it (an empty or short
 * restore) fails, and so does one where the key holds other bytes.
 */
export async function checkRestoredBucket(s3: S3Client, bucketArn: string): Promise<CheckResult> {
  const bucket = bucketNameOf(bucketArn);
  let body: string;
  try {
    const object = await s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: SENTINEL_OBJECT_KEY }),
    );
    if (!object.Body) {
      return { ok: false, message: `GET ${bucket}/${SENTINEL_OBJECT_KEY} returned no body` };
    }
    body = await object.Body.transformToString();
  } catch (error) {
    if (errorName(error) === 'NoSuchKey') {
      return {
        ok: false,
        message: `restored bucket ${bucket} has no sentinel object ${SENTINEL_OBJECT_KEY}: an empty or short restore`,
      };
    }
    throw error;
  }
  if (body !== SENTINEL_OBJECT_BODY) {
    return {
      ok: false,
      message: `restored bucket ${bucket}: ${SENTINEL_OBJECT_KEY} holds ${body.length} bytes that are not the sentinel`,
    };
  }
  return {
    ok: true,
    message: `read the sentinel object ${SENTINEL_OBJECT_KEY} (${body.length} bytes, exact) from restored bucket ${bucket}`,
  };
}
