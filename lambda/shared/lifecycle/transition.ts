import type { Actor, AuditRecord, LifecycleEvent } from './audit';
import { toIso } from './dates';
import type { LifecycleState } from './states';
import { isAllowedMove } from './states';
import type { LifecycleField, TenantRecord } from './tenant';

/** New values of lifecycle attributes; `null` removes the attribute. */
export type FieldChanges = Partial<Record<LifecycleField, string | number | null>>;

/**
 * One registry write and its audit item, decided by the core and applied by the registry in
 * ONE TransactWriteItems conditioned on `expectedVersion`.
 */
export interface Transition {
  readonly ok: true;
  readonly tenantId: string;
  readonly event: LifecycleEvent;
  readonly from: LifecycleState;
  readonly to: LifecycleState;
  /** The version read; `undefined` means the item has no `version` attribute yet. */
  readonly expectedVersion: number | undefined;
  readonly version: number;
  /** Attributes to SET (always includes lifecycleState, version and updatedAt). */
  readonly set: Readonly<Record<string, string | number>>;
  /** Attributes to REMOVE. */
  readonly remove: readonly string[];
  readonly audit: AuditRecord;
  /** The record as it will be after the write. */
  readonly next: TenantRecord;
}

export interface TransitionSpec {
  readonly event: LifecycleEvent;
  readonly to: LifecycleState;
  readonly changes: FieldChanges;
  readonly actor: Actor;
  readonly reason: string;
  readonly now: Date;
  /** Non-lifecycle attributes to remove too (the tombstone). */
  readonly alsoRemove?: readonly string[];
  readonly details?: AuditRecord['details'];
}

export function buildTransition(record: TenantRecord, spec: TransitionSpec): Transition {
  if (!isAllowedMove(record.lifecycleState, spec.to)) {
    throw new Error(`bug: ${record.lifecycleState} -> ${spec.to} is not a lifecycle move`);
  }
  const version = (record.version ?? 0) + 1;
  const at = toIso(spec.now);
  const changes: FieldChanges = { ...spec.changes, lifecycleState: spec.to, updatedAt: at };
  const set: Record<string, string | number> = { version };
  const remove = new Set<string>(spec.alsoRemove ?? []);
  const next: Record<string, unknown> = { ...record, version };
  for (const [name, value] of Object.entries(changes)) {
    if (value === null || value === undefined) {
      if (record.attributeNames.includes(name)) remove.add(name);
      delete next[name];
    } else {
      set[name] = value;
      next[name] = value;
    }
  }
  for (const name of remove) delete next[name];
  const names = new Set(record.attributeNames.filter((n) => !remove.has(n)));
  for (const name of Object.keys(set)) names.add(name);
  names.add('tenantId');
  next.attributeNames = [...names].sort();

  const archiveId = (next.archiveId as string | undefined) ?? record.archiveId;
  const audit: AuditRecord = {
    tenantId: record.tenantId,
    version,
    at,
    event: spec.event,
    fromState: record.lifecycleState,
    toState: spec.to,
    actorKind: spec.actor.kind,
    actorId: spec.actor.id,
    reason: spec.reason,
    ...(archiveId ? { archiveId } : {}),
    ...(spec.details ? { details: spec.details } : {}),
  };
  return {
    ok: true,
    tenantId: record.tenantId,
    event: spec.event,
    from: record.lifecycleState,
    to: spec.to,
    expectedVersion: record.version,
    version,
    set,
    remove: [...remove].sort(),
    audit,
    next: next as unknown as TenantRecord,
  };
}
