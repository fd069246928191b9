import type { S3Client } from '@aws-sdk/client-s3';
import { GetObjectTaggingCommand } from '@aws-sdk/client-s3';

/** The tag GuardDuty Malware Protection for S3 puts on every object it scanned. */
export const SCAN_TAG = 'GuardDutyMalwareScanStatus';
/** Its value for a clean object; anything else (or no tag yet) is not served. */
export const CLEAN = 'NO_THREATS_FOUND';

/** `missing`: no such object (not uploaded yet); `pending`: not scanned yet; else the tag value. */
export type ScanStatus = 'missing' | 'pending' | string;

/**
 * The object's malware scan status from its tags. Read with the service's own role
 * (`s3:GetObjectTagging` on the tenant folders): the key comes from the tenant's own row, read
 * under row-level security, and the download URL is still signed by the tenant session.
 */
export async function scanStatus(s3: S3Client, bucket: string, key: string): Promise<ScanStatus> {
  try {
    const out = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }));
    return out.TagSet?.find((t) => t.Key === SCAN_TAG)?.Value ?? 'pending';
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'NoSuchKey' || name === 'NotFound') return 'missing';
    throw error;
  }
}
