import { contract } from '../../../../lambda/tenant-archive/contract';
import { contract as purgeContract } from '../../../../lambda/tenant-purge/contract';
import { readEnvironment } from '../../../../lambda/shared/contract';
import { createArchiveDeps, createPurgeDeps } from '../../../../lambda/shared/archive';

const ENV = {
  AWS_REGION: 'ap-southeast-2',
  TABLE_NAME: 'registry',
  AUDIT_TABLE_NAME: 'audit',
  ARCHIVE_RETENTION_DAYS: '365',
  DB_HOST: 'platform-prod.cluster-abc.ap-southeast-2.rds.amazonaws.com',
  DB_PORT: '5432',
  DB_NAME: 'logistics',
  DB_USER: 'lifecycle_worker',
  NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem',
  FILES_BUCKET: 'logistics-prod-apse2-files',
  FILES_REPLICA_BUCKET: 'logistics-prod-apse4-files-replica',
  FILES_REPLICA_REGION: 'ap-southeast-4',
  ARCHIVE_BUCKET: 'logistics-prod-apse2-archive',
  ARCHIVE_JOBS_QUEUE_URL: 'https://sqs.ap-southeast-2.amazonaws.com/123456789012/archive-jobs',
};

const SETTINGS = {
  region: 'ap-southeast-2',
  dbHost: ENV.DB_HOST,
  dbPort: 5432,
  dbName: 'logistics',
  dbUser: 'lifecycle_worker',
  filesBucket: ENV.FILES_BUCKET,
  filesReplicaBucket: ENV.FILES_REPLICA_BUCKET,
  filesReplicaRegion: 'ap-southeast-4',
  archiveBucket: ENV.ARCHIVE_BUCKET,
};

test('the archive worker contract reads a complete environment', () => {
  expect(readEnvironment(contract, ENV)).toEqual({
    ...ENV,
    ARCHIVE_RETENTION_DAYS: 365,
    DB_PORT: 5432,
  });
});

test('names every missing or invalid variable at once', () => {
  const env: Record<string, string | undefined> = {
    ...ENV,
    DB_PORT: '54x',
    FILES_BUCKET: 'Not_A_Bucket',
    DB_HOST: undefined,
    FILES_REPLICA_REGION: undefined,
    NODE_EXTRA_CA_CERTS: undefined,
  };
  expect(() => readEnvironment(contract, env)).toThrow(
    new RegExp(
      [
        '^tenant-archive: invalid environment: DB_HOST: the database host name, matching .* \\(missing\\)',
        'DB_PORT: the database TCP port, a whole number 1-65535 \\(got "54x"\\)',
        'NODE_EXTRA_CA_CERTS: the CA bundle that signs the RDS certificates .* \\(missing\\)',
        'FILES_BUCKET: the file bucket name, matching .* \\(got "Not_A_Bucket"\\)',
        "FILES_REPLICA_REGION: the file bucket replica's region, matching .* \\(missing\\)",
      ].join('; '),
    ),
  );
});

test('builds deps without connecting anywhere, with TLS verification and IAM tokens', async () => {
  const deps = createArchiveDeps(SETTINGS);
  const pool = deps.db as unknown as {
    options: { ssl: { rejectUnauthorized: boolean; servername: string }; password: unknown };
    end(): Promise<void>;
  };
  expect(pool.options.ssl).toMatchObject({ rejectUnauthorized: true, servername: ENV.DB_HOST });
  expect(typeof pool.options.password).toBe('function');
  expect(await deps.replicaS3.config.region()).toBe('ap-southeast-4');
  expect(deps.archiveBucket).toBe(ENV.ARCHIVE_BUCKET);
  await pool.end();
  expect(() => readEnvironment(purgeContract, { AWS_REGION: 'ap-southeast-2' })).toThrow(
    /ARCHIVE_BUCKET: the archive bucket name, matching .* \(missing\)/,
  );
  const purge = createPurgeDeps({ region: 'ap-southeast-2', archiveBucket: ENV.ARCHIVE_BUCKET });
  expect(await purge.s3.config.region()).toBe('ap-southeast-2');
});
