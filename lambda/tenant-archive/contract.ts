import { defineContract } from '../shared/contract';
import { databaseSettings } from '../shared/database/settings';
import { bucketName, region, runtimeRegion } from '../shared/environment-fields';
import { lifecycleSettings } from '../shared/lifecycle/settings';

/**
 * The archive worker: registry and audit, the database it exports and deletes tenant rows from
 * (IAM authentication as the lifecycle role, verified TLS: hence the CA bundle), the file bucket
 * and its replica, the archive bucket, and its own jobs queue (a paused job is sent there again).
 */
export const contract = defineContract(
  'tenant-archive',
  {
    TABLE_NAME: lifecycleSettings.registryTable(),
    AUDIT_TABLE_NAME: lifecycleSettings.auditTable(),
    ARCHIVE_RETENTION_DAYS: lifecycleSettings.archiveRetentionDays(),
    DB_HOST: databaseSettings.host(),
    DB_PORT: databaseSettings.port(),
    DB_NAME: databaseSettings.name(),
    DB_USER: databaseSettings.user(),
    NODE_EXTRA_CA_CERTS: databaseSettings.caBundle(),
    FILES_BUCKET: bucketName('the file bucket name'),
    FILES_REPLICA_BUCKET: bucketName("the file bucket's replica name"),
    FILES_REPLICA_REGION: region("the file bucket replica's region"),
    ARCHIVE_BUCKET: bucketName('the archive bucket name'),
    ARCHIVE_JOBS_QUEUE_URL: lifecycleSettings.queueUrl('archive'),
    AWS_REGION: runtimeRegion,
  },
  ['AWS_REGION'],
);
