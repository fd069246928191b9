import {
  createArchiveDeps,
  createPurgeDeps,
  readArchiveEnvironment,
} from '../../../../lambda/shared/archive';

const ENV = {
  AWS_REGION: 'ap-southeast-2',
  DB_HOST: 'platform-prod.cluster-abc.ap-southeast-2.rds.amazonaws.com',
  DB_PORT: '5432',
  DB_NAME: 'logistics',
  DB_USER: 'lifecycle_worker',
  FILES_BUCKET: 'logistics-prod-apse2-files',
  FILES_REPLICA_BUCKET: 'logistics-prod-apse4-files-replica',
  FILES_REPLICA_REGION: 'ap-southeast-4',
  ARCHIVE_BUCKET: 'logistics-prod-apse2-archive',
};

test('reads a complete environment', () => {
  expect(readArchiveEnvironment(ENV)).toEqual({
    region: 'ap-southeast-2',
    dbHost: ENV.DB_HOST,
    dbPort: 5432,
    dbName: 'logistics',
    dbUser: 'lifecycle_worker',
    filesBucket: ENV.FILES_BUCKET,
    filesReplicaBucket: ENV.FILES_REPLICA_BUCKET,
    filesReplicaRegion: 'ap-southeast-4',
    archiveBucket: ENV.ARCHIVE_BUCKET,
  });
});

test('names every missing or invalid variable at once', () => {
  const env = { ...ENV, DB_PORT: '54x', FILES_BUCKET: 'Not_A_Bucket', DB_CA_BUNDLE: '/nope.pem' };
  delete (env as Record<string, string | undefined>).DB_HOST;
  delete (env as Record<string, string | undefined>).FILES_REPLICA_REGION;
  expect(() => readArchiveEnvironment(env)).toThrow(
    [
      'invalid archive worker environment:',
      "- DB_CA_BUNDLE=/nope.pem cannot be read: ENOENT: no such file or directory, open '/nope.pem'",
      '- DB_HOST is missing (a host name)',
      '- DB_PORT="54x" is not a TCP port (1-65535)',
      '- FILES_BUCKET="Not_A_Bucket" is not an S3 bucket name',
      '- FILES_REPLICA_REGION is missing (an AWS region)',
    ].join('\n'),
  );
});

test('builds deps without connecting anywhere, with TLS verification and IAM tokens', async () => {
  const deps = createArchiveDeps(ENV);
  const pool = deps.db as unknown as {
    options: { ssl: { rejectUnauthorized: boolean }; password: unknown };
    end(): Promise<void>;
  };
  expect(pool.options.ssl.rejectUnauthorized).toBe(true);
  expect(typeof pool.options.password).toBe('function');
  expect(await deps.replicaS3.config.region()).toBe('ap-southeast-4');
  expect(deps.archiveBucket).toBe(ENV.ARCHIVE_BUCKET);
  await pool.end();
  expect(() => createPurgeDeps({ AWS_REGION: 'ap-southeast-2' })).toThrow(
    /ARCHIVE_BUCKET is missing/,
  );
});
