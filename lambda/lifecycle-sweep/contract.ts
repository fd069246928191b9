import { defineContract } from '../shared/contract';
import { lifecycleSettings } from '../shared/lifecycle/settings';

export const contract = defineContract('lifecycle-sweep', {
  TABLE_NAME: lifecycleSettings.registryTable(),
  AUDIT_TABLE_NAME: lifecycleSettings.auditTable(),
  ARCHIVE_JOBS_QUEUE_URL: lifecycleSettings.queueUrl('archive'),
  PURGE_JOBS_QUEUE_URL: lifecycleSettings.queueUrl('purge'),
  LEASE_MINUTES: lifecycleSettings.leaseMinutes(),
  DB_CLUSTER_ID: lifecycleSettings.clusterIdentifier(),
  GLOBAL_CLUSTER_ID: lifecycleSettings.globalClusterIdentifier(),
});
