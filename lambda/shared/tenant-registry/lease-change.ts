import { refuse } from '../lifecycle/refusal';
import type { Refusal } from '../lifecycle/refusal';
import type { Decision } from '../lifecycle/rules';
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
