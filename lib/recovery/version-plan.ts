/**
 * The decision for one key of a ransomware roll-back: make the state the key had at time T
 * current again, without deleting any version. Pure: the listing and the S3 calls live elsewhere.
 *
 * - The newest entry (version or delete marker) at or before T is the key's state at T.
 * - State at T is a version: if it is already current, or the current version is a copy of it
 *   (same ETag and size, or our `restored-from-version` marker), the key is unchanged; otherwise
 *   copy that version onto the key (CopyObject with its VersionId), which makes a new current
 *   version with the old content. Older and newer versions all stay.
 * - State at T is "deleted" (a delete marker), or the key did not exist at T (every entry is
 *   newer, i.e. it was created after T): the key should not be visible. If it is, put a delete
 *   marker (DeleteObject without a VersionId), which hides it and deletes nothing, so it is
 *   allowed under Object Lock and undone by removing that marker. `--keep-new-keys` instead
 *   skips keys created after T (for when legitimate uploads after T must stay visible).
 * - Skipped with a reason: the version at T sits in an archive storage class (it must be
 *   restored from the archive before it can be copied), or is larger than CopyObject's 5 GiB.
 */

export interface VersionEntry {
  readonly versionId: string;
  readonly lastModified: Date;
  readonly isLatest: boolean;
  readonly deleteMarker: boolean;
  readonly etag?: string;
  readonly size?: number;
  readonly storageClass?: string;
}

export interface KeyHistory {
  readonly key: string;
  /** Every version and delete marker of the key, in any order. */
  readonly entries: readonly VersionEntry[];
}

export type KeyPlan =
  | { readonly action: 'unchanged'; readonly reason: string }
  | { readonly action: 'copy'; readonly from: VersionEntry; readonly current?: VersionEntry }
  | { readonly action: 'delete-marker'; readonly reason: string }
  | { readonly action: 'skip'; readonly reason: string };

/** Metadata key our copies carry: the VersionId they were restored from. */
export const RESTORED_FROM = 'restored-from-version';

/** CopyObject's single-request limit. */
export const COPY_LIMIT_BYTES = 5 * 1024 ** 3;

const ARCHIVED = ['GLACIER', 'DEEP_ARCHIVE'];

/** Newest first; at equal times the current entry first, else listing order. */
export function newestFirst(entries: readonly VersionEntry[]): VersionEntry[] {
  return entries
    .map((entry, index) => ({ entry, index }))
    .sort(
      (a, b) =>
        b.entry.lastModified.getTime() - a.entry.lastModified.getTime() ||
        Number(b.entry.isLatest) - Number(a.entry.isLatest) ||
        a.index - b.index,
    )
    .map(({ entry }) => entry);
}

export interface PlanOptions {
  /** Skip keys created after T instead of hiding them with a delete marker. */
  readonly keepNewKeys?: boolean;
}

export function planKey(history: KeyHistory, time: Date, options: PlanOptions = {}): KeyPlan {
  const ordered = newestFirst(history.entries);
  const current = ordered.find((e) => e.isLatest) ?? ordered[0];
  const atTime = ordered.find((e) => e.lastModified.getTime() <= time.getTime());
  const visible = current !== undefined && !current.deleteMarker;

  if (!atTime || atTime.deleteMarker) {
    const why = atTime ? 'was deleted at T' : 'did not exist at T (created after it)';
    if (!visible) return { action: 'unchanged', reason: `${why} and is deleted now` };
    if (!atTime && options.keepNewKeys) {
      return { action: 'skip', reason: 'created after T; kept visible by --keep-new-keys' };
    }
    return { action: 'delete-marker', reason: why };
  }
  if (current.versionId === atTime.versionId) {
    return { action: 'unchanged', reason: 'the version at T is current' };
  }
  if (visible && sameContent(current, atTime)) {
    return {
      action: 'unchanged',
      reason: 'the current version has the content of the version at T',
    };
  }
  if (atTime.storageClass && ARCHIVED.includes(atTime.storageClass)) {
    return {
      action: 'skip',
      reason: `the version at T (${atTime.versionId}) is in ${atTime.storageClass}; restore it from the archive (aws s3api restore-object) and rerun`,
    };
  }
  if ((atTime.size ?? 0) > COPY_LIMIT_BYTES) {
    return {
      action: 'skip',
      reason: `the version at T (${atTime.versionId}) is larger than 5 GiB; copy it with a multipart copy (aws s3 cp "s3://<bucket>/<key>?versionId=..." ...)`,
    };
  }
  return { action: 'copy', from: atTime, current: visible ? current : undefined };
}

/** Same ETag and size: for non-KMS objects the ETag is the content's MD5. */
function sameContent(a: VersionEntry, b: VersionEntry): boolean {
  return a.etag !== undefined && a.etag === b.etag && a.size === b.size;
}
