import { ARCHIVE_WORKER_ACTOR, PURGE_WORKER_ACTOR } from './audit';
import { addMinutes, toIso } from './dates';
import type { LifecyclePolicy } from './policy';
import type { Refusal } from './refusal';
import { refuse } from './refusal';
import type { Decision, LifecycleJob } from './rules';
import type { TenantRecord } from './tenant';
import { buildTransition } from './transition';

/**
 * The lease of a claimed job: the sweep's claim sets `dueAt` to the lease's end and the job
 * carries the claim; only the holder may renew (a checkpoint of a long archive) or release (a
 * worker whose region is not the database writer) it.
 */

/**
 * Whether `job` still holds the tenant's lease: the tenant is in the job's working state with
 * its archive, and no claim came after the job's (a re-claim after an expired lease makes the
 * older job's worker a non-holder). A job without `claim` (sent before the field existed) holds
 * the lease while the registry is still at the job's version.
 */
export function holdsLease(record: TenantRecord, job: LifecycleJob): boolean {
  const working = job.type === 'archive' ? 'ARCHIVING' : 'PURGING';
  if (record.lifecycleState !== working || record.archiveId !== job.archiveId) return false;
  if (job.claim === undefined) return record.version === job.version;
  return (record.claimCount ?? 1) === job.claim;
}

function notHolder(record: TenantRecord, job: LifecycleJob): Refusal {
  return refuse(
    'LEASE_LOST',
    `${job.type} job of tenant ${record.tenantId} (claim ${job.claim ?? `v${job.version}`}) no longer holds the lease: ` +
      `the tenant is ${record.lifecycleState}, claim ${record.claimCount ?? 1}, version ${record.version}`,
    { lifecycleState: record.lifecycleState },
  );
}

/** What a purge's checkpoint saves with its lease renewal (see `TenantRecord.purgeLockCheck`). */
export interface PurgeCheckpointRecord {
  readonly purgeLockCheck: string;
  /** Counts for the audit item (no digest: the audit holds ids, codes and counts only). */
  readonly details: Readonly<Record<string, number>>;
}

/**
 * A checkpoint of a long archive or purge renews its lease: `dueAt` = now + lease, so that the
 * sweep does not re-claim (and start a second, concurrent run of) a job that is still
 * progressing. Only the lease holder renews; the write is conditioned on the version read, like
 * every transition. Audited as `archive-lease-renew` or `purge-lease-renew`. A purge's
 * checkpoint also saves its lock check progress in the same write (`saved`), so only the
 * holder's progress is ever stored.
 */
export function renewLease(
  record: TenantRecord,
  job: LifecycleJob,
  now: Date,
  policy: LifecyclePolicy,
  saved?: PurgeCheckpointRecord,
): Decision {
  if (!holdsLease(record, job)) return notHolder(record, job);
  if (saved && job.type !== 'purge') throw new Error('bug: only a purge saves lock check progress');
  return buildTransition(record, {
    event: job.type === 'archive' ? 'archive-lease-renew' : 'purge-lease-renew',
    to: record.lifecycleState,
    actor: job.type === 'archive' ? ARCHIVE_WORKER_ACTOR : PURGE_WORKER_ACTOR,
    reason: `checkpoint: ${job.type} in progress`,
    now,
    changes: {
      dueAt: toIso(addMinutes(now, policy.leaseMinutes)),
      ...(saved ? { purgeLockCheck: saved.purgeLockCheck } : {}),
    },
    ...(saved ? { details: saved.details } : {}),
  });
}

/**
 * The archive worker of a region whose cluster is not the writer gives its job back: the lease
 * ends now, so that the writer region's next sweep re-claims the tenant and its worker, on the
 * writer, continues from the stored progress. Only the lease holder releases.
 */
export function releaseLease(record: TenantRecord, job: LifecycleJob, now: Date): Decision {
  if (!holdsLease(record, job)) return notHolder(record, job);
  return buildTransition(record, {
    event: 'archive-lease-release',
    to: record.lifecycleState,
    actor: ARCHIVE_WORKER_ACTOR,
    reason: 'NOT_WRITER',
    now,
    changes: { dueAt: toIso(now) },
  });
}
