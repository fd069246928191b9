import { defineContract } from '../shared/contract';
import { bucketName, runtimeRegion } from '../shared/environment-fields';
import { lifecycleSettings } from '../shared/lifecycle/settings';

/**
 * The purge worker deletes the archive and the tenant's users: no database, no file buckets; its
 * own jobs queue, where a purge that checkpointed (out of time) is sent again.
 */
export const contract = defineContract(
  'tenant-purge',
  {
    TABLE_NAME: lifecycleSettings.registryTable(),
    AUDIT_TABLE_NAME: lifecycleSettings.auditTable(),
    ARCHIVE_BUCKET: bucketName('the archive bucket name'),
    USER_POOL_ID: lifecycleSettings.userPoolId(),
    PURGE_JOBS_QUEUE_URL: lifecycleSettings.queueUrl('purge'),
    AWS_REGION: runtimeRegion,
  },
  ['AWS_REGION'],
);
