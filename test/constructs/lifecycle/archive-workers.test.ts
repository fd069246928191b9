import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ArchiveWorkers } from '../../../lib/constructs/lifecycle/archive-workers';
import { bareStack } from '../../support/bare-stack';
import { AUDIT_ARN, lifecycleCommon, REGISTRY_ARN } from '../../support/lifecycle-common';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const FILES_KEY = 'arn:aws:kms:ap-southeast-2:333333333333:key/files';

function build() {
  const stack = bareStack();
  const common = lifecycleCommon(stack);
  new ArchiveWorkers(stack, 'Workers', {
    ...common,
    archiveRetentionDays: 365,
    queueKey: new kms.Key(stack, 'QueueKey'),
    archiveBucket: new s3.Bucket(stack, 'Archive', {
      encryptionKey: new kms.Key(stack, 'ArchiveKey'),
    }),
    filesBucket: {
      bucketName: 'logi-prod-files',
      key: kms.Key.fromKeyArn(stack, 'FilesKey', FILES_KEY),
    },
    filesReplica: { bucketName: 'logi-prod-apse4-files', region: 'ap-southeast-4' },
    database: { host: 'aurora.cluster.local', port: '5432', clusterResourceId: 'cluster-ABC' },
    dbName: 'postgres',
    dbUser: 'lifecycle_worker',
    userPool: cognito.UserPool.fromUserPoolId(stack, 'Pool', 'ap-southeast-2_tenants'),
  });
  return Template.fromStack(stack);
}

const template = build();
const fnOf = (description: RegExp): Json =>
  (Object.values(template.findResources('AWS::Lambda::Function')) as Json[]).find((f) =>
    description.test(f.Properties.Description ?? ''),
  )!;
const statementsOf = (rolePrefix: string): Json[] =>
  (Object.values(template.findResources('AWS::IAM::Policy')) as Json[])
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(rolePrefix))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
const bySid = (all: Json[], sid: string) => all.find((s) => s.Sid === sid);

test('each worker has the memory for a large tenant: the purge holds the whole version listing', () => {
  // about 130 MB of heap per 200,000 versions (docs/archive-performance.md): 256 MB held 350k
  expect(fnOf(/^Purges one tenant/).Properties.MemorySize).toBe(1024);
  expect(fnOf(/^Archives one tenant/).Properties.MemorySize).toBe(1024);
});

test('each worker takes one job at a time from its queue, two at most, 15 minutes each', () => {
  for (const d of [/^Archives one tenant/, /^Purges one tenant/]) {
    const fn = fnOf(d);
    expect(fn.Properties).toMatchObject({ ReservedConcurrentExecutions: 2, Timeout: 900 });
  }
  const mappings = Object.values(
    template.findResources('AWS::Lambda::EventSourceMapping'),
  ) as Json[];
  expect(mappings).toHaveLength(2);
  for (const m of mappings) {
    expect(m.Properties).toMatchObject({
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  }
});

test('the archive worker verifies the database certificate: TLS settings and its login', () => {
  expect(fnOf(/^Archives one tenant/).Properties.Environment.Variables).toMatchObject({
    DB_HOST: 'aurora.cluster.local',
    DB_PORT: '5432',
    DB_NAME: 'postgres',
    DB_USER: 'lifecycle_worker',
    NODE_EXTRA_CA_CERTS: expect.stringMatching(/\.pem$/),
    ARCHIVE_RETENTION_DAYS: '365',
    TABLE_NAME: 'logi-prod-tenants',
    AUDIT_TABLE_NAME: 'logi-prod-tenant-audit',
  });
  const connect = statementsOf('WorkersArchive').filter((s) => s.Action === 'rds-db:connect');
  expect(connect).toHaveLength(1);
  expect(JSON.stringify(connect[0].Resource)).toMatch(/dbuser:cluster-ABC\/lifecycle_worker/);
});

test.each([
  ['WorkersArchive', /^Archives one tenant/, 'ARCHIVE_JOBS_QUEUE_URL', /ArchiveJobs/, /PurgeJobs/],
  ['WorkersPurge', /^Purges one tenant/, 'PURGE_JOBS_QUEUE_URL', /PurgeJobs/, /ArchiveJobs/],
])(
  'a checkpointed job of %s is sent again to its own queue only, through SQS for the key',
  (role, description, variable, own, other) => {
    const vars = fnOf(description).Properties.Environment.Variables;
    expect(JSON.stringify(vars[variable])).toMatch(own);
    const sends = statementsOf(role).filter((s) => [s.Action].flat().includes('sqs:SendMessage'));
    expect(sends).toHaveLength(1);
    expect(sends[0].Sid).toBe('ContinueJob');
    expect(JSON.stringify(sends[0].Resource)).toMatch(own);
    expect(JSON.stringify(sends[0].Resource)).not.toMatch(other);
  },
);

test('archive worker: the archive/ prefix of the archive, tenants/ of the files and replica', () => {
  const all = statementsOf('WorkersArchive');
  expect(JSON.stringify(bySid(all, 'ArchiveObjects')!.Resource)).toMatch(/\/archive\/\*"/);
  expect(bySid(all, 'FilesCopyAndDelete')!.Resource).toBe('arn:aws:s3:::logi-prod-files/tenants/*');
  expect(bySid(all, 'FilesList')!.Condition).toEqual({
    StringLike: { 's3:prefix': ['tenants/*'] },
  });
  expect(bySid(all, 'ReplicaList')!.Condition).toEqual({
    StringLike: { 's3:prefix': ['tenants/*'] },
  });
  expect(bySid(all, 'ReplicaDelete')).toMatchObject({
    Resource: 'arn:aws:s3:::logi-prod-apse4-files/tenants/*',
  });
  expect([...bySid(all, 'ReplicaDelete')!.Action].sort()).toEqual([
    's3:DeleteObject',
    's3:DeleteObjectVersion',
  ]);
  const filesKey = all.filter((s) => [s.Resource].flat().includes(FILES_KEY));
  expect(filesKey.flatMap((s) => [s.Action].flat())).toEqual(['kms:Decrypt']);
});

test('purge worker: reads and deletes archive versions only; no files access, no writes', () => {
  const all = statementsOf('WorkersPurge');
  const actions = all.flatMap((s) => [s.Action].flat()).filter((a) => a.startsWith('s3:'));
  expect(actions.sort()).toEqual(
    [
      's3:ListBucket',
      's3:ListBucketVersions',
      's3:GetObject',
      's3:GetObjectVersion',
      's3:GetObjectRetention',
      's3:DeleteObjectVersion',
    ].sort(),
  );
  expect(JSON.stringify(all)).not.toContain('logi-prod-files');
  expect(all.flatMap((s) => [s.Action].flat())).not.toContain('rds-db:connect');
});

test('both workers transition the registry with audit, and neither scans', () => {
  for (const role of ['WorkersArchive', 'WorkersPurge']) {
    const all = statementsOf(role);
    const on = (r: string) =>
      all
        .filter((s) => [s.Resource].flat().includes(r))
        .flatMap((s) => [s.Action].flat())
        .sort();
    expect(on(REGISTRY_ARN)).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
    expect(on(AUDIT_ARN)).toEqual(['dynamodb:PutItem']);
    expect(all.flatMap((s) => [s.Action].flat())).not.toContain('dynamodb:Scan');
  }
});

test('two job queues with dead-letter queues, encrypted with the queue key', () => {
  const queues = Object.values(template.findResources('AWS::SQS::Queue')) as Json[];
  expect(queues).toHaveLength(4);
  for (const q of queues) {
    expect(q.Properties.KmsMasterKeyId).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^QueueKey/), 'Arn'],
    });
  }
  template.hasResourceProperties('AWS::SQS::Queue', {
    VisibilityTimeout: 6 * 900, // six times the worker timeout
    RedrivePolicy: Match.objectLike({ maxReceiveCount: 3 }),
  });
});
