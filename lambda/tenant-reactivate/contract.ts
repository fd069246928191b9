import { defineContract } from '../shared/contract';
import { lifecycleSettings } from '../shared/lifecycle/settings';

/** Reactivation checks the stored reactivation deadline: it needs no retention number. */
export const contract = defineContract('tenant-reactivate', {
  TABLE_NAME: lifecycleSettings.registryTable(),
  AUDIT_TABLE_NAME: lifecycleSettings.auditTable(),
  USER_POOL_ID: lifecycleSettings.userPoolId(),
});
