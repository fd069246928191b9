import type { S3Client } from '@aws-sdk/client-s3';
import { AbortMultipartUploadCommand, ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import type { PurgeDeps } from './contracts';
import { assertTenantId, tenantArchiveRoot } from './keys';
import { listAllVersions } from './object-versions';

/** One archive of a tenant as found in the archive bucket. */
export interface ArchiveListing {
  readonly archiveId: string;
  /** A manifest exists: the export finished (a rerun verifies and continues). */
  readonly complete: boolean;
  /** Object versions and delete markers under the archive's prefix. */
  readonly versions: number;
  /** Multipart uploads started and never completed or aborted. */
  readonly pendingUploads: number;
}

export interface PendingUpload {
  readonly key: string;
  readonly uploadId: string;
}

export async function listPendingUploads(
  s3: S3Client,
  bucket: string,
  prefix: string,
): Promise<PendingUpload[]> {
  const uploads: PendingUpload[] = [];
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  for (;;) {
    const page = await s3.send(
      new ListMultipartUploadsCommand({
        Bucket: bucket,
        Prefix: prefix,
        KeyMarker: keyMarker,
        UploadIdMarker: uploadIdMarker,
      }),
    );
    for (const u of page.Uploads ?? []) {
      if (u.Key && u.UploadId) uploads.push({ key: u.Key, uploadId: u.UploadId });
    }
    if (!page.IsTruncated) return uploads;
    keyMarker = page.NextKeyMarker;
    uploadIdMarker = page.NextUploadIdMarker;
  }
}

export async function abortUploads(
  s3: S3Client,
  bucket: string,
  uploads: readonly PendingUpload[],
): Promise<void> {
  for (const u of uploads) {
    await s3.send(
      new AbortMultipartUploadCommand({ Bucket: bucket, Key: u.key, UploadId: u.uploadId }),
    );
  }
}

/**
 * Every archive of a tenant, complete or not: what an operator or a reconciliation alarm uses
 * to find a half-written archive (no manifest) that no run is going to finish.
 */
export async function inspectTenantArchives(
  deps: Pick<PurgeDeps, 's3' | 'archiveBucket'>,
  tenantId: string,
): Promise<ArchiveListing[]> {
  assertTenantId(tenantId);
  const root = tenantArchiveRoot(tenantId);
  const byId = new Map<string, { complete: boolean; versions: number; pendingUploads: number }>();
  const entry = (key: string) => {
    const archiveId = key.slice(root.length).split('/')[0] ?? '';
    if (!byId.has(archiveId))
      byId.set(archiveId, { complete: false, versions: 0, pendingUploads: 0 });
    return { archiveId, listing: byId.get(archiveId)! };
  };
  for (const ref of await listAllVersions(deps.s3, deps.archiveBucket, root)) {
    const { archiveId, listing } = entry(ref.key);
    listing.versions++;
    if (ref.key === `${root}${archiveId}/manifest.json` && !ref.deleteMarker)
      listing.complete = true;
  }
  for (const upload of await listPendingUploads(deps.s3, deps.archiveBucket, root)) {
    entry(upload.key).listing.pendingUploads++;
  }
  return [...byId.entries()]
    .map(([archiveId, listing]) => ({ archiveId, ...listing }))
    .sort((a, b) => (a.archiveId < b.archiveId ? -1 : 1));
}
