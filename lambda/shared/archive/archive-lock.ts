import type { S3Client } from '@aws-sdk/client-s3';
import { HeadObjectCommand, PutObjectRetentionCommand } from '@aws-sdk/client-s3';
import { mapBounded } from './bounded-concurrency';
import type { StoredManifest } from './manifest';
import { manifestObjects } from './manifest';

/**
 * Puts COMPLIANCE retention until the manifest's `retainUntil` on every archive object version,
 * the manifest included. Idempotent: a version already locked at least that long is left alone
 * (S3 refuses to shorten a compliance lock, so it is never asked to); `freshlyWritten` skips
 * that check for versions this run just wrote. Returns how many versions it locked.
 */
export async function lockArchive(
  s3: S3Client,
  bucket: string,
  stored: StoredManifest,
  concurrency: number,
  freshlyWritten = false,
): Promise<number> {
  const retainUntil = new Date(stored.manifest.retainUntil);
  const objects = [
    ...manifestObjects(stored.manifest),
    { key: stored.key, versionId: stored.versionId },
  ];
  const locked = await mapBounded(objects, concurrency, async ({ key, versionId }) => {
    if (!freshlyWritten) {
      // HeadObject reports the version's retention (GetObjectRetention carries the same data).
      const head = await s3.send(
        new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }),
      );
      const until = head.ObjectLockRetainUntilDate;
      if (head.ObjectLockMode === 'COMPLIANCE' && until && new Date(until) >= retainUntil) {
        return 0;
      }
    }
    await s3.send(
      new PutObjectRetentionCommand({
        Bucket: bucket,
        Key: key,
        VersionId: versionId,
        Retention: { Mode: 'COMPLIANCE', RetainUntilDate: retainUntil },
      }),
    );
    return 1;
  });
  return locked.reduce<number>((sum, n) => sum + n, 0);
}
