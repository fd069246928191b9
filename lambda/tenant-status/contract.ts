import { defineContract } from '../shared/contract';
import { lifecycleSettings } from '../shared/lifecycle/settings';

/** The status route reads the registry only: no audit table, no user pool. */
export const contract = defineContract('tenant-status', {
  TABLE_NAME: lifecycleSettings.registryTable(),
});
