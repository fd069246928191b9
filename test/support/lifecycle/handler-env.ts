/**
 * A complete, dummy environment per handler: the variables its contract requires, as its
 * construct must set them (AWS_REGION, set by the Lambda runtime, is added by the test).
 */
export const HANDLER_ENV: Record<string, Record<string, string>> = {
  'tenant-deactivate': {
    TABLE_NAME: 'registry',
    AUDIT_TABLE_NAME: 'audit',
    USER_POOL_ID: 'ap-southeast-2_abc',
    GRACE_DAYS: '90',
  },
  'tenant-reactivate': {
    TABLE_NAME: 'registry',
    AUDIT_TABLE_NAME: 'audit',
    USER_POOL_ID: 'ap-southeast-2_abc',
  },
  'tenant-status': { TABLE_NAME: 'registry' },
  'lifecycle-sweep': {
    TABLE_NAME: 'registry',
    AUDIT_TABLE_NAME: 'audit',
    ARCHIVE_JOBS_QUEUE_URL: 'https://sqs.ap-southeast-2.amazonaws.com/111111111111/archive-jobs',
    PURGE_JOBS_QUEUE_URL: 'https://sqs.ap-southeast-2.amazonaws.com/111111111111/purge-jobs',
    DB_CLUSTER_ID: 'logi-dev-apse2-aurora',
  },
  'tenant-archive': {
    TABLE_NAME: 'registry',
    AUDIT_TABLE_NAME: 'audit',
    ARCHIVE_RETENTION_DAYS: '365',
    DB_HOST: 'db.internal',
    DB_PORT: '5432',
    DB_NAME: 'app',
    DB_USER: 'lifecycle_worker',
    NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem',
    FILES_BUCKET: 'logi-dev-files',
    FILES_REPLICA_BUCKET: 'logi-dev-files-replica',
    FILES_REPLICA_REGION: 'ap-southeast-4',
    ARCHIVE_BUCKET: 'logi-dev-archive',
    ARCHIVE_JOBS_QUEUE_URL: 'https://sqs.ap-southeast-2.amazonaws.com/111111111111/archive-jobs',
  },
  'tenant-purge': {
    TABLE_NAME: 'registry',
    AUDIT_TABLE_NAME: 'audit',
    ARCHIVE_BUCKET: 'logi-dev-archive',
    USER_POOL_ID: 'ap-southeast-2_AbCdEf123',
    PURGE_JOBS_QUEUE_URL: 'https://sqs.ap-southeast-2.amazonaws.com/111111111111/purge-jobs',
  },
  'db-bootstrap': {
    DB_HOST: 'app.cluster-abc.ap-southeast-2.rds.amazonaws.com',
    DB_PORT: '5432',
    DB_NAME: 'postgres',
    MASTER_SECRET_ARN: 'arn:aws:secretsmanager:ap-southeast-2:111111111111:secret:db-master-AbCdEf',
    NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem',
  },
  'restore-validation': {
    RESTORE_TESTING_PLAN_ARN: 'arn:aws:backup:ap-southeast-2:333333333333:restore-testing-plan:p_1',
    INSTANCE_CLASS: 'db.t4g.medium',
    DB_NAME: 'postgres',
    DB_USER: 'platform_bootstrap',
    NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem',
  },
};
