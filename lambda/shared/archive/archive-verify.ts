import type { S3Client } from '@aws-sdk/client-s3';
import { mapBounded } from './bounded-concurrency';
import { ArchiveError } from './errors';
import { archivePrefix } from './keys';
import type { StoredManifest } from './manifest';
import { manifestObjects } from './manifest';
import { readObjectDigest } from './object-digest';
import { listAllVersions } from './object-versions';

/**
 * Re-reads the whole archive against its manifest and throws ARCHIVE_INTEGRITY listing every
 * problem: the versions under the archive prefix must be exactly the manifest's objects plus the
 * manifest (an extra object or version, or a delete marker, is an error to alarm on, never
 * ignored), and every object must have the recorded size and SHA-256, every table export the
 * recorded row count after gunzip, and every version a COMPLIANCE lock until `retainUntil`.
 */
export async function verifyArchive(
  s3: S3Client,
  bucket: string,
  stored: StoredManifest,
  concurrency: number,
): Promise<void> {
  const { manifest } = stored;
  const retainUntil = new Date(manifest.retainUntil);
  const problems: string[] = [];
  const expected = new Map<string, string>([[`${stored.key}@${stored.versionId}`, stored.key]]);
  for (const o of manifestObjects(manifest)) expected.set(`${o.key}@${o.versionId}`, o.key);

  const present = await listAllVersions(
    s3,
    bucket,
    archivePrefix(manifest.tenantId, manifest.archiveId),
  );
  const seen = new Set<string>();
  for (const ref of present) {
    const id = `${ref.key}@${ref.versionId}`;
    if (ref.deleteMarker) problems.push(`delete marker on ${ref.key}`);
    else if (!expected.has(id)) problems.push(`unexpected object ${id}`);
    else seen.add(id);
  }
  for (const [id] of expected) if (!seen.has(id)) problems.push(`missing object ${id}`);
  if (problems.length > 0) {
    throw new ArchiveError('ARCHIVE_INTEGRITY', problems.slice(0, 10).join('; '), { problems });
  }

  const lockProblem = (key: string, mode?: string, until?: Date): string | undefined =>
    mode === 'COMPLIANCE' && until && until >= retainUntil
      ? undefined
      : `${key} is not locked in COMPLIANCE mode until ${manifest.retainUntil} (${mode ?? 'no lock'})`;

  const objects = manifestObjects(manifest);
  const found = await mapBounded(objects, concurrency, async (o) => {
    const digest = await readObjectDigest(s3, bucket, o.key, o.versionId, {
      countGzipLines: o.rows !== undefined,
    });
    const issues: string[] = [];
    if (digest.bytes !== o.bytes) issues.push(`${o.key} has ${digest.bytes} bytes, not ${o.bytes}`);
    if (digest.sha256 !== o.sha256) issues.push(`${o.key} has SHA-256 ${digest.sha256}`);
    if (o.checksumSha256 !== undefined && digest.checksumSha256 !== o.checksumSha256) {
      issues.push(
        `${o.key} carries S3 checksum ${digest.checksumSha256 ?? '(none)'}, not ${o.checksumSha256}`,
      );
    }
    if (o.rows !== undefined && digest.lines !== o.rows) {
      issues.push(`${o.key} has ${digest.lines} rows, not ${o.rows}`);
    }
    const lock = lockProblem(o.key, digest.lockMode, digest.retainUntil);
    if (lock) issues.push(lock);
    return issues;
  });
  const manifestLock = await readObjectDigest(s3, bucket, stored.key, stored.versionId);
  const lock = lockProblem(stored.key, manifestLock.lockMode, manifestLock.retainUntil);
  problems.push(...found.flat(), ...(lock ? [lock] : []));
  if (problems.length > 0) {
    throw new ArchiveError('ARCHIVE_INTEGRITY', problems.slice(0, 10).join('; '), { problems });
  }
}
