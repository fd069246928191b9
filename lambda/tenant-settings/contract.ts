import { defineContract } from '../shared/contract';
import { lifecycleSettings } from '../shared/lifecycle/settings';

/** The settings route writes the registry and its audit trail; no user pool. */
export const contract = defineContract('tenant-settings', {
  TABLE_NAME: lifecycleSettings.registryTable(),
  AUDIT_TABLE_NAME: lifecycleSettings.auditTable(),
});
