import { defineContract } from '../shared/contract';
import { lifecycleSettings } from '../shared/lifecycle/settings';

export const contract = defineContract('tenant-deactivate', {
  TABLE_NAME: lifecycleSettings.registryTable(),
  AUDIT_TABLE_NAME: lifecycleSettings.auditTable(),
  USER_POOL_ID: lifecycleSettings.userPoolId(),
  GRACE_DAYS: lifecycleSettings.graceDays(),
});
