import type { S3Client } from '@aws-sdk/client-s3';
import { ArchiveError } from './errors';
import { tenantFilesPrefix } from './keys';
import type { VersionRef } from './object-versions';
import { deleteVersions, listAllVersions } from './object-versions';

/** One object version or delete marker, by key and version id. */
export interface VersionKey {
  readonly key: string;
  readonly versionId: string;
}

/** The exact live versions an archive may delete, in each file bucket, fixed by its plan. */
export interface LiveVersions {
  readonly primary: readonly VersionKey[];
  readonly replica: readonly VersionKey[];
}

export interface FileBuckets {
  readonly s3: S3Client;
  readonly filesBucket: string;
  readonly replicaS3: S3Client;
  readonly filesReplicaBucket: string;
}

const id = (v: VersionKey): string => `${v.key}@${v.versionId}`;
const keyOf = (v: VersionRef): VersionKey => ({ key: v.key, versionId: v.versionId });

/**
 * Lists every version and delete marker of the tenant's files in both buckets, for the plan.
 * Fails with FILES_CHANGED when a current file of the replica is not the primary's current file
 * (same key, size and ETag): a file written in the secondary region (during a failover) exists
 * only there, the archive (copied from the primary) would not hold it, so it must not be deleted.
 */
export async function planLiveVersions(
  buckets: FileBuckets,
  tenantId: string,
): Promise<LiveVersions> {
  const prefix = tenantFilesPrefix(tenantId);
  const primary = await listAllVersions(buckets.s3, buckets.filesBucket, prefix);
  const replica = await listAllVersions(buckets.replicaS3, buckets.filesReplicaBucket, prefix);
  const current = (refs: VersionRef[]) => refs.filter((r) => r.isLatest && !r.deleteMarker);
  const primaryCurrent = new Map(current(primary).map((r) => [r.key, r]));
  const onlyInReplica = current(replica).filter((r) => {
    const p = primaryCurrent.get(r.key);
    return !p || p.size !== r.size || p.etag !== r.etag;
  });
  if (onlyInReplica.length > 0) {
    throw new ArchiveError(
      'FILES_CHANGED',
      `${onlyInReplica.length} file(s) of tenant ${tenantId} exist only in the secondary region ` +
        `(s3://${buckets.filesReplicaBucket}), first ${onlyInReplica[0]?.key}: replicate or ` +
        `copy them to the primary bucket, then rerun; nothing was archived or deleted`,
      { keys: onlyInReplica.slice(0, 20).map((r) => r.key) },
    );
  }
  return { primary: primary.map(keyOf), replica: replica.map(keyOf) };
}

/** The versions under the tenant's prefix that the plan does not hold (written since). */
async function strangers(
  s3: S3Client,
  bucket: string,
  tenantId: string,
  planned: readonly VersionKey[],
): Promise<{ present: VersionRef[]; unplanned: VersionRef[] }> {
  const known = new Set(planned.map(id));
  const present = await listAllVersions(s3, bucket, tenantFilesPrefix(tenantId));
  return { present, unplanned: present.filter((v) => !known.has(id(v))) };
}

function changed(bucket: string, tenantId: string, unplanned: VersionRef[]): ArchiveError {
  return new ArchiveError(
    'FILES_CHANGED',
    `${unplanned.length} version(s) appeared under s3://${bucket}/${tenantFilesPrefix(tenantId)} ` +
      `after the archive was planned, first ${unplanned[0]?.key}?versionId=` +
      `${unplanned[0]?.versionId}: they are not archived, so nothing more is deleted; find who ` +
      `wrote to a closed tenant, then archive again under a new plan`,
    { bucket, versions: unplanned.slice(0, 20).map(id) },
  );
}

/** Fails with FILES_CHANGED, deleting nothing, if either bucket holds a version the plan lacks. */
export async function assertNoNewVersions(
  buckets: FileBuckets,
  tenantId: string,
  plan: LiveVersions,
): Promise<void> {
  const primary = await strangers(buckets.s3, buckets.filesBucket, tenantId, plan.primary);
  if (primary.unplanned.length > 0) throw changed(buckets.filesBucket, tenantId, primary.unplanned);
  const replica = await strangers(
    buckets.replicaS3,
    buckets.filesReplicaBucket,
    tenantId,
    plan.replica,
  );
  if (replica.unplanned.length > 0) {
    throw changed(buckets.filesReplicaBucket, tenantId, replica.unplanned);
  }
}

/**
 * Deletes exactly the planned versions still present in one bucket, after checking (again, just
 * before) that no other version appeared; returns how many it deleted.
 */
export async function deletePlannedVersions(
  s3: S3Client,
  bucket: string,
  tenantId: string,
  planned: readonly VersionKey[],
): Promise<number> {
  const { present, unplanned } = await strangers(s3, bucket, tenantId, planned);
  if (unplanned.length > 0) throw changed(bucket, tenantId, unplanned);
  return deleteVersions(s3, bucket, present);
}
