import type { AuditRecord } from '../../../../lambda/shared/lifecycle/audit';
import type { TenantRecord } from '../../../../lambda/shared/lifecycle/tenant';
import type { Transition } from '../../../../lambda/shared/lifecycle/transition';

/**
 * The registry's contract in memory, for the property tests: an update applies only when the
 * stored version equals the transition's expected version, together with its audit item, which
 * is append-only (a second item with the same version is refused).
 */
export class MemoryRegistry {
  readonly audit: AuditRecord[] = [];
  readonly history: TenantRecord[] = [];

  constructor(public record: TenantRecord) {
    this.history.push(record);
  }

  apply(t: Transition): 'applied' | 'conflict' {
    if (t.expectedVersion !== this.record.version) return 'conflict';
    if (this.audit.some((a) => a.tenantId === t.tenantId && a.version === t.version)) {
      throw new Error(`audit item v${t.version} exists: append-only violated`);
    }
    const stored: Record<string, unknown> = { ...this.record };
    for (const name of t.remove) delete stored[name];
    Object.assign(stored, t.set);
    stored.attributeNames = Object.keys(stored).filter((k) => k !== 'attributeNames');
    this.record = stored as unknown as TenantRecord;
    this.audit.push(t.audit);
    this.history.push(this.record);
    return 'applied';
  }
}

export function activeTenant(tenantId = 'acme'): TenantRecord {
  return {
    tenantId,
    lifecycleState: 'ACTIVE',
    version: 1,
    attributeNames: ['tenantId', 'lifecycleState', 'version', 'displayName', 'contactEmail'],
    // attributes the lifecycle does not know about (personal data a tombstone must drop)
    ...({ displayName: 'Acme Freight', contactEmail: 'ops@acme.example' } as object),
  } as TenantRecord;
}
