import { deriveArchiveId } from './archive-id';
import type { Actor } from './audit';
import { ARCHIVE_WORKER_ACTOR, PURGE_WORKER_ACTOR, SWEEP_ACTOR } from './audit';
import { addDays, addMinutes, later, notBefore, parseIso, toIso } from './dates';
import type { LifecyclePolicy } from './policy';
import type { Refusal } from './refusal';
import { refuse } from './refusal';
import type { TenantRecord } from './tenant';
import { TOMBSTONE_ATTRIBUTES } from './tenant';
import type { Transition } from './transition';
import { buildTransition } from './transition';

/** The pure rules of the closure lifecycle: each returns a transition to apply or a refusal. */
export type Decision = Transition | Refusal;

const NEXT_STEP: Readonly<Record<TenantRecord['lifecycleState'], string>> = {
  ACTIVE: 'it can be deactivated',
  DEACTIVATED: 'it can be reactivated until its grace period ends, then it is archived',
  ARCHIVING: 'its archive is being written; it can no longer be reactivated',
  ARCHIVED: 'its archive is kept until the purge date; it can never be restored to a live tenant',
  PURGING: 'its archive is being deleted',
  PURGED: 'only its tombstone remains',
  ARCHIVE_FAILED:
    'its archive was claimed too many times without finishing; an operator must investigate (runbook: lifecycle)',
  PURGE_FAILED:
    'its purge was claimed too many times without finishing; an operator must investigate (runbook: lifecycle)',
};

function wrongState(record: TenantRecord, operation: string): Refusal {
  return refuse(
    'WRONG_STATE',
    `cannot ${operation} tenant ${record.tenantId}: it is ${record.lifecycleState}; ${NEXT_STEP[record.lifecycleState]}`,
    { lifecycleState: record.lifecycleState },
  );
}

function requiredText(record: TenantRecord, field: keyof TenantRecord): string {
  const value = record[field];
  if (typeof value !== 'string' || value === '') {
    throw new Error(
      `corrupt registry item ${record.tenantId}: ${record.lifecycleState} without ${field}`,
    );
  }
  return value;
}

function required(record: TenantRecord, field: keyof TenantRecord): Date {
  return parseIso(requiredText(record, field), field);
}

export function deactivate(
  record: TenantRecord,
  input: { actor: Actor; reason: string; now: Date },
  policy: LifecyclePolicy,
): Decision {
  if (record.lifecycleState === 'DEACTIVATED') {
    return refuse(
      'WRONG_STATE',
      `tenant ${record.tenantId} is already deactivated (since ${record.deactivatedAt}); it can be reactivated until ${record.graceEndsAt}`,
      { lifecycleState: record.lifecycleState, graceEndsAt: record.graceEndsAt },
    );
  }
  if (record.lifecycleState !== 'ACTIVE') return wrongState(record, 'deactivate');
  const graceEndsAt = toIso(addDays(input.now, policy.graceDays));
  return buildTransition(record, {
    event: 'deactivate',
    to: 'DEACTIVATED',
    actor: input.actor,
    reason: input.reason,
    now: input.now,
    changes: {
      deactivatedAt: toIso(input.now),
      deactivatedBy: input.actor.id,
      deactivationReason: input.reason,
      graceEndsAt,
      dueAt: graceEndsAt,
      reactivatedAt: null,
      reactivatedBy: null,
    },
  });
}

export function reactivate(
  record: TenantRecord,
  input: { actor: Actor; reason: string; now: Date },
): Decision {
  if (record.lifecycleState !== 'DEACTIVATED') {
    return record.lifecycleState === 'ACTIVE'
      ? refuse(
          'WRONG_STATE',
          `tenant ${record.tenantId} is already ACTIVE; nothing to reactivate`,
          {
            lifecycleState: record.lifecycleState,
          },
        )
      : wrongState(record, 'reactivate');
  }
  const graceEnd = required(record, 'graceEndsAt');
  if (notBefore(input.now, graceEnd)) {
    return refuse(
      'GRACE_EXPIRED',
      `cannot reactivate tenant ${record.tenantId}: its grace window ended at ${record.graceEndsAt}; it is now due for archiving and can never be restored to a live tenant`,
      { lifecycleState: record.lifecycleState, graceEndsAt: record.graceEndsAt },
    );
  }
  return buildTransition(record, {
    event: 'reactivate',
    to: 'ACTIVE',
    actor: input.actor,
    reason: input.reason,
    now: input.now,
    changes: {
      reactivatedAt: toIso(input.now),
      reactivatedBy: input.actor.id,
      deactivatedAt: null,
      deactivatedBy: null,
      deactivationReason: null,
      graceEndsAt: null,
      dueAt: null,
    },
  });
}

/** What the sweep sends to the workers' queue for a claimed tenant. */
export interface LifecycleJob {
  readonly type: 'archive' | 'purge';
  readonly tenantId: string;
  readonly version: number;
  readonly archiveId: string;
  /**
   * The claim this job was sent for (the tenant's `claimCount` after the claim): identifies the
   * lease holder. Absent in messages sent before it existed.
   */
  readonly claim?: number;
}

export type Claim = Transition & { readonly job: LifecycleJob };

/** The sweep gives up on a step claimed `maxClaims` times: no job, the tenant is left failed. */
export type GiveUp = Transition & { readonly failed: true };

/** Audit reason of a give-up: a fixed code, never free text. */
export const CLAIMS_EXHAUSTED = 'CLAIMS_EXHAUSTED';

function withJob(t: Transition, type: LifecycleJob['type'], archiveId: string): Claim {
  const claim = t.next.claimCount;
  return {
    ...t,
    job: {
      type,
      tenantId: t.tenantId,
      version: t.version,
      archiveId,
      ...(typeof claim === 'number' ? { claim } : {}),
    },
  };
}

/**
 * The sweep's claim of a due tenant: DEACTIVATED -> ARCHIVING after grace end, ARCHIVED ->
 * PURGING after the purge date, or a re-claim of ARCHIVING / PURGING whose lease expired; once
 * a step has been claimed `maxClaims` times, the give-up instead: ARCHIVING -> ARCHIVE_FAILED
 * or PURGING -> PURGE_FAILED, no job sent. The rules check the dates themselves: the index is
 * only a hint.
 */
export function claimDue(
  record: TenantRecord,
  now: Date,
  policy: LifecyclePolicy,
): Claim | GiveUp | Refusal {
  const lease = toIso(addMinutes(now, policy.leaseMinutes));
  const at = toIso(now);
  const base = { actor: SWEEP_ACTOR, now };
  switch (record.lifecycleState) {
    case 'DEACTIVATED': {
      if (!notBefore(now, required(record, 'graceEndsAt'))) {
        return refuse(
          'NOT_DUE',
          `tenant ${record.tenantId} is in its grace period until ${record.graceEndsAt}`,
        );
      }
      const archiveId = deriveArchiveId(record.tenantId, requiredText(record, 'deactivatedAt'));
      const t = buildTransition(record, {
        ...base,
        event: 'archive-claim',
        to: 'ARCHIVING',
        reason: 'grace period ended',
        changes: {
          archiveId,
          archivingStartedAt: at,
          archiveRetainUntil: toIso(archiveRetainUntil(now, policy)),
          dueAt: lease,
          claimCount: 1,
        },
      });
      return withJob(t, 'archive', archiveId);
    }
    case 'ARCHIVED': {
      if (!notBefore(now, required(record, 'purgeAt'))) {
        return refuse(
          'NOT_DUE',
          `tenant ${record.tenantId}'s archive is kept until ${record.purgeAt}`,
        );
      }
      const archiveId = requiredText(record, 'archiveId');
      const t = buildTransition(record, {
        ...base,
        event: 'purge-claim',
        to: 'PURGING',
        reason: 'archive retention ended',
        changes: { purgingStartedAt: at, dueAt: lease, claimCount: 1 },
      });
      return withJob(t, 'purge', archiveId);
    }
    case 'ARCHIVING':
    case 'PURGING': {
      if (!notBefore(now, required(record, 'dueAt'))) {
        return refuse(
          'NOT_DUE',
          `tenant ${record.tenantId}'s ${record.lifecycleState} lease runs until ${record.dueAt}`,
        );
      }
      const archiving = record.lifecycleState === 'ARCHIVING';
      const claims = record.claimCount ?? 1;
      if (claims >= policy.maxClaims) {
        const failed = buildTransition(record, {
          ...base,
          event: archiving ? 'archive-failed' : 'purge-failed',
          to: archiving ? 'ARCHIVE_FAILED' : 'PURGE_FAILED',
          reason: CLAIMS_EXHAUSTED,
          // Kept in the state-due index (dueAt = now) so that every sweep counts it.
          changes: { dueAt: at },
          details: { claimCount: claims },
        });
        return { ...failed, failed: true };
      }
      const t = buildTransition(record, {
        ...base,
        event: archiving ? 'archive-reclaim' : 'purge-reclaim',
        to: record.lifecycleState,
        reason: 'lease expired before the worker finished',
        changes: { dueAt: lease, claimCount: claims + 1 },
      });
      return withJob(t, archiving ? 'archive' : 'purge', requiredText(record, 'archiveId'));
    }
    default:
      return wrongState(record, 'sweep');
  }
}

/** Whether a worker should run the engine for a job, skip a duplicate, or refuse it. */
export type JobCheck = { readonly ok: true; readonly action: 'run' | 'already-done' } | Refusal;

export function checkJob(record: TenantRecord, job: LifecycleJob, now: Date): JobCheck {
  const [working, done] =
    job.type === 'archive'
      ? (['ARCHIVING', ['ARCHIVED', 'PURGING', 'PURGED']] as const)
      : (['PURGING', ['PURGED']] as const);
  if (record.archiveId !== undefined && record.archiveId !== job.archiveId) {
    return refuse(
      'ARCHIVE_MISMATCH',
      `${job.type} job for tenant ${record.tenantId} names archive ${job.archiveId}, the registry holds ${record.archiveId}; nothing done`,
      { lifecycleState: record.lifecycleState },
    );
  }
  if (
    (done as readonly string[]).includes(record.lifecycleState) &&
    record.archiveId === job.archiveId
  ) {
    return { ok: true, action: 'already-done' };
  }
  if (record.lifecycleState !== working) {
    return refuse(
      job.type === 'purge' && record.lifecycleState === 'ARCHIVED' ? 'NOT_DUE' : 'WRONG_STATE',
      `${job.type} of tenant ${record.tenantId} refused: it is ${record.lifecycleState}, only a ${working} tenant claimed by the sweep is ${job.type === 'archive' ? 'archived' : 'purged'}` +
        (record.purgeAt && job.type === 'purge' ? ` (purge date ${record.purgeAt})` : ''),
      { lifecycleState: record.lifecycleState },
    );
  }
  if (job.type === 'purge' && !notBefore(now, required(record, 'purgeAt'))) {
    return refuse(
      'NOT_DUE',
      `purge of tenant ${record.tenantId} refused: its archive is kept until ${record.purgeAt}`,
    );
  }
  return { ok: true, action: 'run' };
}

/** The archive object lock's end for an archive written now: the earliest purge date. */
export function archiveRetainUntil(now: Date, policy: LifecyclePolicy): Date {
  return addDays(now, policy.archiveRetentionDays);
}

/**
 * The lock end an archive job must ask for: the one fixed at the first claim, so that a retry
 * converges on the archive its first try started. A tenant claimed before that field existed
 * derives it from its (equally fixed) `archivingStartedAt`.
 */
export function claimedRetainUntil(record: TenantRecord, policy: LifecyclePolicy): Date {
  if (record.archiveRetainUntil !== undefined) {
    return parseIso(record.archiveRetainUntil, 'archiveRetainUntil');
  }
  return archiveRetainUntil(required(record, 'archivingStartedAt'), policy);
}

export function completeArchive(
  record: TenantRecord,
  input: {
    archiveId: string;
    now: Date;
    retainUntil: Date;
    manifestKey: string;
    rowCounts: Record<string, number>;
    objectCount: number;
  },
  policy: LifecyclePolicy,
): Decision {
  if (record.lifecycleState !== 'ARCHIVING') return wrongState(record, 'complete the archive of');
  if (record.archiveId !== input.archiveId) {
    return refuse(
      'ARCHIVE_MISMATCH',
      `archive ${input.archiveId} is not tenant ${record.tenantId}'s current archive`,
    );
  }
  const purgeAt = toIso(later(addDays(input.now, policy.archiveRetentionDays), input.retainUntil));
  const rows = Object.values(input.rowCounts).reduce((a, b) => a + b, 0);
  return buildTransition(record, {
    event: 'archive-complete',
    to: 'ARCHIVED',
    actor: ARCHIVE_WORKER_ACTOR,
    reason: 'archive written and verified; live data removed',
    now: input.now,
    changes: {
      archivedAt: toIso(input.now),
      manifestKey: input.manifestKey,
      purgeAt,
      dueAt: purgeAt,
      claimCount: null,
    },
    details: {
      manifestKey: input.manifestKey,
      objectCount: input.objectCount,
      rowCount: rows,
      rowCounts: input.rowCounts,
    },
  });
}

export function completePurge(
  record: TenantRecord,
  input: { archiveId: string; now: Date; deletedVersions: number; deletedUsers?: number },
): Decision {
  if (record.lifecycleState !== 'PURGING') return wrongState(record, 'complete the purge of');
  if (record.archiveId !== input.archiveId) {
    return refuse(
      'ARCHIVE_MISMATCH',
      `archive ${input.archiveId} is not tenant ${record.tenantId}'s current archive`,
    );
  }
  if (!notBefore(input.now, required(record, 'purgeAt'))) {
    return refuse('NOT_DUE', `tenant ${record.tenantId}'s archive is kept until ${record.purgeAt}`);
  }
  return buildTransition(record, {
    event: 'purge-complete',
    to: 'PURGED',
    actor: PURGE_WORKER_ACTOR,
    reason: 'archive deleted; tombstone kept',
    now: input.now,
    changes: { purgedAt: toIso(input.now), dueAt: null },
    alsoRemove: record.attributeNames.filter((n) => !TOMBSTONE_ATTRIBUTES.has(n)),
    details: {
      deletedVersions: input.deletedVersions,
      ...(input.deletedUsers === undefined ? {} : { deletedUsers: input.deletedUsers }),
    },
  });
}
