import type { LifecycleState } from './states';

/** Who made a transition: an admin (JWT `sub`), a machine client (`client_id`) or the system. */
export interface Actor {
  readonly kind: 'user' | 'client' | 'system';
  /** A pseudonymous id only: never a name or e-mail. */
  readonly id: string;
}

export const SWEEP_ACTOR: Actor = { kind: 'system', id: 'lifecycle-sweep' };
export const ARCHIVE_WORKER_ACTOR: Actor = { kind: 'system', id: 'tenant-archive' };
export const PURGE_WORKER_ACTOR: Actor = { kind: 'system', id: 'tenant-purge' };

export type LifecycleEvent =
  | 'deactivate'
  | 'reactivate'
  | 'archive-claim'
  | 'archive-reclaim'
  /** The archive worker extended its lease at a checkpoint (state unchanged). */
  | 'archive-lease-renew'
  /** The purge worker extended its lease at a checkpoint (state unchanged). */
  | 'purge-lease-renew'
  /** The archive worker of a non-writer region gave the job back: lease ended now. */
  | 'archive-lease-release'
  | 'archive-complete'
  | 'purge-claim'
  | 'purge-reclaim'
  | 'purge-complete'
  | 'archive-failed'
  | 'purge-failed'
  /** Plan, modules or settings changed (the state does not: fromState = toState). */
  | 'settings-change';

/**
 * One append-only audit item (table keyed `tenantId` + `version`): exactly one per registry
 * write, with the registry's new version. No personal data.
 */
export interface AuditRecord {
  readonly tenantId: string;
  readonly version: number;
  readonly at: string;
  readonly event: LifecycleEvent;
  readonly fromState: LifecycleState;
  readonly toState: LifecycleState;
  readonly actorKind: Actor['kind'];
  readonly actorId: string;
  readonly reason: string;
  readonly archiveId?: string;
  /** Non-personal facts about the step (row counts, object counts, manifest key). */
  readonly details?: Readonly<Record<string, string | number | Record<string, number>>>;
}
