import type { AuditRecord } from '../lifecycle/audit';
import { isLifecycleState } from '../lifecycle/states';
import type { TenantRecord } from '../lifecycle/tenant';
import { LIFECYCLE_ATTRIBUTE_NAMES } from '../lifecycle/tenant';

/** The registry's key schema and index, fixed by the Data stack. */
export const REGISTRY_KEY = 'tenantId';
export const STATE_DUE_INDEX = 'state-due';

/**
 * Reads a registry item (DocumentClient shape). A tenant registered before the lifecycle
 * existed has no `lifecycleState` (it is ACTIVE) and may have no `version`.
 */
export function recordFromItem(item: Record<string, unknown>): TenantRecord {
  const tenantId = item.tenantId;
  if (typeof tenantId !== 'string') throw new Error('corrupt registry item: no tenantId');
  const state = item.lifecycleState ?? 'ACTIVE';
  if (!isLifecycleState(state)) {
    throw new Error(`corrupt registry item ${tenantId}: lifecycleState=${JSON.stringify(state)}`);
  }
  const version = item.version;
  if (version !== undefined && (typeof version !== 'number' || !Number.isInteger(version))) {
    throw new Error(`corrupt registry item ${tenantId}: version=${JSON.stringify(version)}`);
  }
  const record: Record<string, unknown> = {
    tenantId,
    lifecycleState: state,
    version,
    attributeNames: Object.keys(item).sort(),
  };
  for (const name of LIFECYCLE_ATTRIBUTE_NAMES) {
    if (name === 'lifecycleState') continue;
    const value = item[name];
    if (value === undefined) continue;
    const expected = name === 'claimCount' ? 'number' : 'string';
    if (typeof value !== expected) {
      throw new Error(`corrupt registry item ${tenantId}: ${name} is not a ${expected}`);
    }
    record[name] = value;
  }
  const users = item.closureDisabledUsers;
  if (users !== undefined) {
    if (!Array.isArray(users) || !users.every((u) => typeof u === 'string')) {
      throw new Error(`corrupt registry item ${tenantId}: closureDisabledUsers is not a list`);
    }
    record.closureDisabledUsers = [...new Set(users as string[])].sort();
  }
  return record as unknown as TenantRecord;
}

/** The audit item as written (DocumentClient shape): flat, no personal data. */
export function auditItem(audit: AuditRecord): Record<string, unknown> {
  return { ...audit };
}
