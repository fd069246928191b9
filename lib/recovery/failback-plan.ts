/**
 * The decision for one key of a failback copy: bring back to the primary region's bucket what the
 * secondary region's bucket received while it was the writer. Pure: the listing, the heads and
 * the copies live in failback-files.ts and failback-copy.ts.
 *
 * - Only the key's current entry counts. A delete marker is never copied (a deletion in the
 *   secondary is reported, not carried back), nor a version last modified before `--since`.
 * - A version S3 marks `REPLICA` came from the primary by replication: never copied back, even
 *   if the primary no longer has it (a purge deletes versions, which replication does not carry).
 * - Otherwise the primary's current entry at the key decides: none (or a delete marker older than
 *   the version) -> copy; the same content -> already there, but the copy's retention must be at
 *   least the source's (else lock it); other content or a deletion, newer than the version -> skip
 *   (the primary changed it since; never overwritten); other content, older -> copy (a new
 *   current version; the primary's stays as a noncurrent one).
 */
import { COPY_LIMIT_BYTES } from './version-plan';

export type LockMode = 'GOVERNANCE' | 'COMPLIANCE';

/** An Object Lock retention. */
export interface Retention {
  readonly mode: LockMode;
  readonly until: Date;
}

/** What HeadObject says of one object version (with ChecksumMode ENABLED). */
export interface ObjectFacts {
  readonly versionId: string;
  readonly lastModified: Date;
  readonly size: number;
  /** The SHA-256 additional checksum of the whole object (base64), when S3 stores one. */
  readonly sha256?: string;
  readonly retention?: Retention;
  readonly legalHold: boolean;
  readonly replicationStatus?: string;
  readonly storageClass?: string;
}

/** The primary bucket's current entry at the key. */
export type Destination =
  | { readonly kind: 'absent' }
  | { readonly kind: 'deleted'; readonly lastModified: Date }
  | { readonly kind: 'object'; readonly facts: ObjectFacts };

/** What the lock of a copy needs beyond what it has: a retention, a legal hold, or both. */
export interface LockChange {
  readonly retention?: Retention;
  readonly legalHold: boolean;
}

export type FailbackPlan =
  | { readonly action: 'copy'; readonly reason: string }
  | { readonly action: 'there'; readonly versionId: string }
  | { readonly action: 'lock'; readonly versionId: string; readonly lock: LockChange }
  | { readonly action: 'skip'; readonly reason: string };

/** S3's answer for a replica: `x-amz-replication-status: REPLICA`. */
export const REPLICA = 'REPLICA';

const ARCHIVED = ['GLACIER', 'DEEP_ARCHIVE'];

/**
 * The full-object SHA-256 of a HeadObject answer, when it has one. A composite checksum, from a
 * multipart upload, is a digest of the parts' digests, not of the bytes: S3 writes it
 * `<b64>-<parts>` with `ChecksumType` COMPOSITE, and a multipart object's ETag ends in
 * `-<parts>` (S3 has no full-object SHA-256 for a multipart upload), which also covers an answer
 * that leaves the suffix and the type out (moto's HeadObject does).
 */
export function fullObjectSha256(
  checksum: string | undefined,
  checksumType?: string,
  etag?: string,
): string | undefined {
  if (!checksum || checksum.includes('-') || checksumType === 'COMPOSITE') return undefined;
  if (checksumType !== 'FULL_OBJECT' && /-\d+"?$/.test(etag ?? '')) return undefined;
  return checksum;
}

/**
 * Whether two versions hold the same bytes, from what S3 stores: a different size says no, two
 * full-object SHA-256 checksums say yes or no; otherwise `undefined` (the content must be read).
 */
export function sameContentByChecksum(a: ObjectFacts, b: ObjectFacts): boolean | undefined {
  if (a.size !== b.size) return false;
  if (a.sha256 && b.sha256) return a.sha256 === b.sha256;
  return undefined;
}

/**
 * The lock a copy needs so that it is held at least as long and as strictly as its source: the
 * stricter mode and the later date of the two, when the source's retention is still running; the
 * source's legal hold. `undefined` when the copy already has it.
 */
export function lockToApply(
  source: Pick<ObjectFacts, 'retention' | 'legalHold'>,
  copy: Pick<ObjectFacts, 'retention' | 'legalHold'>,
  now: Date,
): LockChange | undefined {
  const wanted = source.retention;
  let retention: Retention | undefined;
  if (wanted && wanted.until.getTime() > now.getTime()) {
    const have = copy.retention;
    const mode: LockMode =
      wanted.mode === 'COMPLIANCE' || have?.mode === 'COMPLIANCE' ? 'COMPLIANCE' : 'GOVERNANCE';
    const until = have && have.until.getTime() > wanted.until.getTime() ? have.until : wanted.until;
    if (!have || have.mode !== mode || have.until.getTime() !== until.getTime()) {
      retention = { mode, until };
    }
  }
  const legalHold = source.legalHold && !copy.legalHold;
  return retention || legalHold ? { ...(retention ? { retention } : {}), legalHold } : undefined;
}

/**
 * Whether the source version is one to bring back at all: a reason to leave it out, or
 * `undefined`. The current entry's time and kind are checked by the caller before the head.
 */
export function sourceExclusion(source: ObjectFacts): string | undefined {
  if (source.replicationStatus === REPLICA) return 'replica';
  if (source.storageClass && ARCHIVED.includes(source.storageClass)) {
    return `in ${source.storageClass}; restore it from the archive (aws s3api restore-object) and rerun`;
  }
  return undefined;
}

/** The plan for a source version that is to be brought back, given the primary's entry. */
export function planFailback(
  source: ObjectFacts,
  destination: Destination,
  /** From `sameContentByChecksum`, or from reading both objects when it could not tell. */
  sameContent: boolean | undefined,
  now: Date,
): FailbackPlan {
  if (destination.kind === 'absent') return { action: 'copy', reason: 'not in the primary' };
  if (destination.kind === 'deleted') {
    if (destination.lastModified.getTime() > source.lastModified.getTime()) {
      return {
        action: 'skip',
        reason: `deleted in the primary at ${destination.lastModified.toISOString()}, after this version was written (${source.lastModified.toISOString()}); not brought back`,
      };
    }
    return { action: 'copy', reason: 'deleted in the primary before this version was written' };
  }
  const facts = destination.facts;
  if (sameContent === undefined) {
    throw new Error('planFailback needs the content comparison when the primary has the key');
  }
  if (sameContent) {
    const lock = lockToApply(source, facts, now);
    return lock
      ? { action: 'lock', versionId: facts.versionId, lock }
      : { action: 'there', versionId: facts.versionId };
  }
  if (facts.lastModified.getTime() > source.lastModified.getTime()) {
    return {
      action: 'skip',
      reason: `the primary's version ${facts.versionId} (${facts.lastModified.toISOString()}) is newer than this one (${source.lastModified.toISOString()}) and differs; not overwritten`,
    };
  }
  return { action: 'copy', reason: 'the primary has older, other content' };
}

/** Whether a copy of `size` bytes needs a multipart copy (CopyObject's limit: 5 GiB). */
export function needsParts(size: number, maxSingleCopyBytes = COPY_LIMIT_BYTES): boolean {
  return size > maxSingleCopyBytes;
}
