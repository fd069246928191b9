import { createHash } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { runBounded } from './bounded-concurrency';
import type { ArchiveBudget } from './contracts';
import { outOfTime } from './contracts';
import { ArchiveError } from './errors';
import type { VersionRef } from './object-versions';

/**
 * How far a purge's lock check got over one listing of the archive's prefix: what a checkpoint
 * hands to the next run of the same purge (the purge job keeps it in the tenant's registry item,
 * `purgeLockCheck`, written with the lease renewal, so only the lease holder writes it).
 */
export interface PurgeLockCheck {
  /** SHA-256 (base64) of the listing checked: every version and delete marker, in listing order. */
  readonly listing: string;
  /** Versions and delete markers in that listing. */
  readonly versions: number;
  /** How many of them, from the first, this purge found unlocked (a delete marker has no lock). */
  readonly checked: number;
  /** Versions this purge had deleted by the checkpoint, over all its runs. */
  readonly deleted: number;
}

/** Digest of a listing, in its order: the same set of versions always lists in the same order. */
export function listingDigest(refs: readonly VersionRef[]): string {
  const hash = createHash('sha256');
  for (const r of refs) hash.update(`${JSON.stringify([r.key, r.versionId, r.deleteMarker])}\n`);
  return hash.digest('base64');
}

const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/** Why `value` is not a PurgeLockCheck (naming the field), or undefined when it is one. */
export function lockCheckProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'lockCheck must be an object';
  const v = value as Record<string, unknown>;
  if (typeof v.listing !== 'string' || !/^[A-Za-z0-9+/]{43}=$/.test(v.listing)) {
    return 'lockCheck.listing must be a base64 SHA-256';
  }
  for (const field of ['versions', 'checked', 'deleted'] as const) {
    if (!isCount(v[field])) return `lockCheck.${field} must be a non-negative integer`;
  }
  if ((v.checked as number) > (v.versions as number)) {
    return 'lockCheck.checked must not exceed lockCheck.versions';
  }
  return undefined;
}

/** The stored form (registry attribute `purgeLockCheck`). */
export const encodeLockCheck = (check: PurgeLockCheck): string =>
  JSON.stringify({
    listing: check.listing,
    versions: check.versions,
    checked: check.checked,
    deleted: check.deleted,
  });

/** The stored form read back, or why it cannot be used. */
export function decodeLockCheck(text: string): PurgeLockCheck | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'purgeLockCheck is not valid JSON' };
  }
  const problem = lockCheckProblem(value);
  return problem ? { problem } : (value as PurgeLockCheck);
}

/** Where this run's check starts over `refs` (the prefix listed now), given the saved progress. */
export interface CheckStart {
  /** Versions of `refs`, from the first, already found unlocked by this purge. */
  readonly checked: number;
  /** Versions this purge deleted before (carried whatever the listing now). */
  readonly deleted: number;
  /**
   * The listing is not the one the progress was saved for: versions appeared or went (a crash
   * after some deletions, or a writer under a closed archive), so every version is checked again.
   */
  readonly changed: boolean;
  /** Fewer versions than at the checkpoint: some were deleted since (by a run that then crashed). */
  readonly shrank: boolean;
}

export function checkStart(
  refs: readonly VersionRef[],
  digest: string,
  saved: PurgeLockCheck | undefined,
): CheckStart {
  if (!saved) return { checked: 0, deleted: 0, changed: false, shrank: false };
  const same = saved.listing === digest && saved.versions === refs.length;
  return {
    checked: same ? saved.checked : 0,
    deleted: saved.deleted,
    changed: !same,
    shrank: refs.length < saved.versions,
  };
}

/**
 * A version the purge must not delete: its retention has not ended by the purge's clock, or it is
 * under a legal hold (which has no end date: it holds until someone with
 * `s3:PutObjectLegalHold` removes it, e.g. for litigation).
 */
export interface LockedVersion {
  readonly key: string;
  readonly versionId: string;
  /** The retention's end, when that is what holds it. */
  readonly until?: string;
  readonly legalHold: boolean;
}

/**
 * Checks the retention of `refs[from..]` in order, `concurrency` HeadObject requests at a time,
 * and starts none once `outOfTime(budget)`: the requests already sent finish, so every version
 * before the returned `checked` was found unlocked. Stops at the first locked version (with the
 * others already in flight that are locked too); a delete marker needs no request.
 */
export async function checkLocks(input: {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly refs: readonly VersionRef[];
  readonly from: number;
  readonly now: Date;
  readonly concurrency: number;
  readonly budget: ArchiveBudget | undefined;
}): Promise<{ checked: number; locked: LockedVersion[] }> {
  const { now } = input;
  const locked: LockedVersion[] = [];
  const checked = await runBounded(
    input.refs,
    input.concurrency,
    async (ref) => {
      if (ref.deleteMarker) return;
      const head = await input.s3.send(
        new HeadObjectCommand({ Bucket: input.bucket, Key: ref.key, VersionId: ref.versionId }),
      );
      const until = head.ObjectLockRetainUntilDate
        ? new Date(head.ObjectLockRetainUntilDate)
        : undefined;
      const retained = until !== undefined && until > now;
      const legalHold = head.ObjectLockLegalHoldStatus === 'ON';
      if (!retained && !legalHold) return;
      locked.push({
        key: ref.key,
        versionId: ref.versionId,
        ...(retained ? { until: until.toISOString() } : {}),
        legalHold,
      });
      return 'stop';
    },
    { from: input.from, canStart: (ref) => ref.deleteMarker || !outOfTime(input.budget) },
  );
  return { checked, locked };
}

/**
 * PURGE_TOO_EARLY for the versions found locked (by retention, or by a legal hold: the purge
 * then waits until the hold is removed); `before` says whether some were deleted.
 */
export function tooEarly(
  archive: string,
  locked: readonly LockedVersion[],
  before: boolean,
): ArchiveError {
  const latest = locked
    .flatMap((l) => (l.until ? [l.until] : []))
    .sort()
    .at(-1);
  const held = locked.filter((l) => l.legalHold).length;
  const why = [
    ...(latest ? [`locked until ${latest}`] : []),
    ...(held > 0 ? [`${held} under a legal hold`] : []),
  ].join(', ');
  return new ArchiveError(
    'PURGE_TOO_EARLY',
    `${locked.length} archive object(s) of ${archive} are ${why}, first ` +
      `${locked[0]?.key}; ${before ? 'nothing more was deleted' : 'nothing was deleted'}`,
    {
      ...(latest ? { lockedUntil: latest } : {}),
      legalHolds: held,
      locked: locked.slice(0, 20).map((l) => `${l.key}@${l.versionId}`),
    },
  );
}
