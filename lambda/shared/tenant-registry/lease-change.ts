import type { PurgeCheckpointRecord } from '../lifecycle/lease';
import { renewLease } from '../lifecycle/lease';
import type { LifecyclePolicy } from '../lifecycle/policy';
import { refuse } from '../lifecycle/refusal';
import type { Refusal } from '../lifecycle/refusal';
import type { Decision, LifecycleJob } from '../lifecycle/rules';
import type { TenantRecord } from '../lifecycle/tenant';
import type { WorkerBase } from './worker-steps';

/**
 * Writes a lease change (renewal at a checkpoint of an archive or a purge, release by a
 * non-writer region) decided from a
 * fresh read, conditioned on that read's version; a concurrent write (another worker, an admin)
 * makes it re-read and decide again, so a sweep re-claim that came first turns it into a
 * refusal (LEASE_LOST) instead of an overwrite.
 */
export async function changeLease(
  deps: WorkerBase,
  tenantId: string,
  decide: (record: TenantRecord, now: Date) => Decision,
): Promise<{ ok: true; dueAt: string } | Refusal> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    const record = await deps.registry.get(tenantId);
    if (!record) return refuse('UNKNOWN_TENANT', `tenant ${tenantId} vanished from the registry`);
    const decision = decide(record, deps.clock());
    if (!decision.ok) return decision;
    if ((await deps.registry.apply(decision)) === 'applied') {
      deps.logger.info('lifecycle transition', {
        tenantId,
        event: decision.event,
        from: decision.from,
        to: decision.to,
        version: decision.version,
        dueAt: decision.set.dueAt,
      });
      return { ok: true, dueAt: String(decision.set.dueAt) };
    }
  }
  throw new Error(`tenant ${tenantId} kept changing while its lease was written; retried later`);
}

/**
 * At a checkpoint of an archive or purge job: renews the job's lease (with a purge's `saved`
 * progress, in the same write), or, when another claim holds the tenant now, logs that this job
 * stops (the holder continues from its own checkpoint) and says `lease-lost`.
 */
export async function renewAtCheckpoint(
  deps: WorkerBase & { readonly policy: LifecyclePolicy },
  job: LifecycleJob,
  saved?: PurgeCheckpointRecord,
): Promise<{ dueAt: string } | 'lease-lost'> {
  const renewed = await changeLease(deps, job.tenantId, (record, now) =>
    renewLease(record, job, now, deps.policy, saved),
  );
  if (renewed.ok) return { dueAt: renewed.dueAt };
  deps.logger.warn('lease lost at a checkpoint: this job stops, the holder continues', {
    tenantId: job.tenantId,
    archiveId: job.archiveId,
    code: renewed.code,
    reason: renewed.message,
  });
  return 'lease-lost';
}
