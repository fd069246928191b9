import {
  BackupClient,
  DescribeRestoreJobCommand,
  PutRestoreValidationResultCommand,
} from '@aws-sdk/client-backup';
import {
  CreateDBInstanceCommand,
  DeleteDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  ModifyDBClusterCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import type { DatabaseQuery, QueryTarget } from '../../../lambda/restore-validation/database-query';
import { instanceIdFor } from '../../../lambda/restore-validation/trigger';
import type { ValidationDeps } from '../../../lambda/restore-validation/validation';
import { validate } from '../../../lambda/restore-validation/validation';

const backup = mockClient(BackupClient);
const rds = mockClient(RDSClient);
const s3 = mockClient(S3Client);

const PLAN =
  'arn:aws:backup:ap-southeast-2:333333333333:restore-testing-plan:logi_prod_ap_southeast_2_restore_test-abc';
const JOB = 'C0FFEE12-3456-7890-ABCD-EF0123456789';
const CLUSTER_ID = 'awsbackup-restore-test-123456';
const CLUSTER_ARN = `arn:aws:rds:ap-southeast-2:333333333333:cluster:${CLUSTER_ID}`;
const BUCKET = 'awsbackup-restore-test-files-1';
const INSTANCE = instanceIdFor(JOB);

function deps(
  query: DatabaseQuery = async () => ({ currentUser: 'platform_bootstrap', appTables: 12 }),
): {
  deps: ValidationDeps;
  logs: string[];
} {
  const logs: string[] = [];
  return {
    logs,
    deps: {
      backup: new BackupClient({ region: 'ap-southeast-2' }),
      rds: new RDSClient({ region: 'ap-southeast-2' }),
      s3: new S3Client({ region: 'ap-southeast-2' }),
      query,
      settings: {
        restoreTestingPlanArn: PLAN,
        instanceClass: 'db.t4g.medium',
        database: 'postgres',
        user: 'platform_bootstrap',
      },
      log: (message) => logs.push(message),
    },
  };
}

function restoreJob(
  resourceType: string,
  created: string,
  overrides: Record<string, unknown> = {},
) {
  backup.on(DescribeRestoreJobCommand, { RestoreJobId: JOB }).resolves({
    RestoreJobId: JOB,
    Status: 'COMPLETED',
    ResourceType: resourceType,
    CreatedResourceArn: created,
    CreatedBy: { RestoreTestingPlanArn: PLAN },
    ...overrides,
  });
}

const cluster = (
  members: { DBInstanceIdentifier: string; IsClusterWriter: boolean }[],
  status = 'available',
) => ({
  DBClusters: [
    {
      DBClusterIdentifier: CLUSTER_ID,
      Status: status,
      Engine: 'aurora-postgresql',
      Endpoint: `${CLUSTER_ID}.cluster-abc.ap-southeast-2.rds.amazonaws.com`,
      Port: 5432,
      IAMDatabaseAuthenticationEnabled: false,
      DBClusterMembers: members,
    },
  ],
});

const trigger = { kind: 'restore-job', restoreJobId: JOB } as const;

beforeEach(() => {
  backup.reset();
  rds.reset();
  s3.reset();
  backup.on(PutRestoreValidationResultCommand).resolves({});
});

describe('restore validation: which jobs', () => {
  it('ignores restore jobs of another plan or of an on-demand restore, and reports nothing', async () => {
    restoreJob('Aurora', CLUSTER_ARN, { CreatedBy: { RestoreTestingPlanArn: `${PLAN}-other` } });
    const outcome = await validate(deps().deps, trigger);
    expect(outcome).toEqual(expect.objectContaining({ action: 'ignored' }));
    expect(backup).not.toHaveReceivedCommand(PutRestoreValidationResultCommand);
    restoreJob('Aurora', CLUSTER_ARN, { CreatedBy: undefined });
    expect((await validate(deps().deps, trigger)).action).toBe('ignored');
  });

  it('ignores jobs that did not complete (AWS Backup alerts on those itself)', async () => {
    restoreJob('S3', `arn:aws:s3:::${BUCKET}`, { Status: 'FAILED' });
    expect((await validate(deps().deps, trigger)).action).toBe('ignored');
    expect(backup).not.toHaveReceivedCommand(PutRestoreValidationResultCommand);
  });

  it('fails a resource type it cannot validate instead of passing it', async () => {
    restoreJob('EBS', 'arn:aws:ec2:ap-southeast-2:333333333333:volume/vol-1');
    const outcome = await validate(deps().deps, trigger);
    expect(outcome).toEqual(expect.objectContaining({ action: 'reported', status: 'FAILED' }));
  });
});

describe('restore validation: S3', () => {
  // The part of an SDK stream body the check uses.
  const body = (text: string) =>
    ({ transformToByteArray: async () => new Uint8Array(Buffer.from(text)) }) as never;

  it('reads an object of the restored bucket and reports SUCCESSFUL', async () => {
    restoreJob('S3', `arn:aws:s3:::${BUCKET}`);
    s3.on(ListObjectsV2Command, { Bucket: BUCKET, MaxKeys: 1 }).resolves({
      Contents: [{ Key: 'tenants/t1/a.pdf' }],
    });
    s3.on(GetObjectCommand, { Bucket: BUCKET, Key: 'tenants/t1/a.pdf' }).resolves({
      Body: body('%PDF-1.7'),
    });
    const outcome = await validate(deps().deps, trigger);
    expect(outcome).toEqual(expect.objectContaining({ status: 'SUCCESSFUL' }));
    expect(backup).toHaveReceivedCommandWith(PutRestoreValidationResultCommand, {
      RestoreJobId: JOB,
      ValidationStatus: 'SUCCESSFUL',
      ValidationStatusMessage: expect.stringContaining('read 8 bytes of tenants/t1/a.pdf'),
    });
  });

  it('reports FAILED with the reason when the object cannot be read', async () => {
    restoreJob('S3', `arn:aws:s3:::${BUCKET}`);
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'k' }] });
    s3.on(GetObjectCommand).rejects(new Error('AccessDenied: kms:Decrypt'));
    await validate(deps().deps, trigger);
    expect(backup).toHaveReceivedCommandWith(PutRestoreValidationResultCommand, {
      ValidationStatus: 'FAILED',
      ValidationStatusMessage: expect.stringContaining('AccessDenied: kms:Decrypt'),
    });
  });

  it('passes an empty restored bucket and says there was nothing to read', async () => {
    restoreJob('S3', `arn:aws:s3:::${BUCKET}`);
    s3.on(ListObjectsV2Command).resolves({ KeyCount: 0 });
    await validate(deps().deps, trigger);
    expect(backup).toHaveReceivedCommandWith(PutRestoreValidationResultCommand, {
      ValidationStatus: 'SUCCESSFUL',
      ValidationStatusMessage: expect.stringContaining('is empty'),
    });
  });
});

describe('restore validation: Aurora', () => {
  it('queries a restored cluster that has a writer, over its endpoint as platform_bootstrap', async () => {
    restoreJob('Aurora', CLUSTER_ARN);
    rds
      .on(DescribeDBClustersCommand, { DBClusterIdentifier: CLUSTER_ARN })
      .resolves(cluster([{ DBInstanceIdentifier: 'w', IsClusterWriter: true }]));
    const seen: QueryTarget[] = [];
    const { deps: d } = deps(async (target) => {
      seen.push(target);
      return { currentUser: 'platform_bootstrap', appTables: 7 };
    });
    const outcome = await validate(d, trigger);
    expect(seen).toEqual([
      {
        host: `${CLUSTER_ID}.cluster-abc.ap-southeast-2.rds.amazonaws.com`,
        port: 5432,
        database: 'postgres',
        user: 'platform_bootstrap',
      },
    ]);
    expect(outcome).toEqual(expect.objectContaining({ status: 'SUCCESSFUL' }));
    expect(backup).toHaveReceivedCommandWith(PutRestoreValidationResultCommand, {
      ValidationStatus: 'SUCCESSFUL',
      ValidationStatusMessage: expect.stringContaining('schema app has 7 tables'),
    });
    expect(rds).not.toHaveReceivedCommand(CreateDBInstanceCommand);
  });

  it('reports FAILED when the query fails (e.g. IAM auth or TLS refused)', async () => {
    restoreJob('Aurora', CLUSTER_ARN);
    rds
      .on(DescribeDBClustersCommand)
      .resolves(cluster([{ DBInstanceIdentifier: 'w', IsClusterWriter: true }]));
    const { deps: d } = deps(async () => {
      throw new Error('PAM authentication failed for user "platform_bootstrap"');
    });
    const outcome = await validate(d, trigger);
    expect(outcome).toEqual(expect.objectContaining({ status: 'FAILED' }));
    expect(backup).toHaveReceivedCommandWith(PutRestoreValidationResultCommand, {
      ValidationStatus: 'FAILED',
      ValidationStatusMessage: expect.stringContaining('PAM authentication failed'),
    });
  });

  it('reports FAILED for a restored cluster that is not available, without querying it', async () => {
    restoreJob('Aurora', CLUSTER_ARN);
    rds.on(DescribeDBClustersCommand).resolves(cluster([], 'inaccessible-encryption-credentials'));
    const query = jest.fn<ReturnType<DatabaseQuery>, Parameters<DatabaseQuery>>();
    await validate(deps(query).deps, trigger);
    expect(query).not.toHaveBeenCalled();
    expect(backup).toHaveReceivedCommandWith(PutRestoreValidationResultCommand, {
      ValidationStatus: 'FAILED',
      ValidationStatusMessage: expect.stringContaining('inaccessible-encryption-credentials'),
    });
  });

  it('adds a small tagged instance to a cluster restored without one, turns IAM auth on, reports VALIDATING', async () => {
    restoreJob('Aurora', CLUSTER_ARN);
    rds.on(DescribeDBClustersCommand).resolves(cluster([]));
    const outcome = await validate(deps().deps, trigger);
    expect(outcome).toEqual({
      action: 'instance-requested',
      restoreJobId: JOB,
      instanceId: INSTANCE,
    });
    expect(rds).toHaveReceivedCommandWith(ModifyDBClusterCommand, {
      DBClusterIdentifier: CLUSTER_ID,
      EnableIAMDatabaseAuthentication: true,
    });
    expect(rds).toHaveReceivedCommandWith(CreateDBInstanceCommand, {
      DBInstanceIdentifier: INSTANCE,
      DBClusterIdentifier: CLUSTER_ID,
      DBInstanceClass: 'db.t4g.medium',
      PubliclyAccessible: false,
      Tags: expect.arrayContaining([
        { Key: 'restore-job-id', Value: JOB },
        { Key: 'created-by', Value: 'restore-validation' },
      ]),
    });
    expect(backup).toHaveReceivedCommandWith(PutRestoreValidationResultCommand, {
      ValidationStatus: 'VALIDATING',
    });
  });

  it('when its instance is created: queries, reports, then deletes only that instance', async () => {
    rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: INSTANCE }).resolves({
      DBInstances: [
        {
          DBInstanceIdentifier: INSTANCE,
          DBClusterIdentifier: CLUSTER_ID,
          TagList: [
            { Key: 'restore-job-id', Value: JOB },
            { Key: 'created-by', Value: 'restore-validation' },
          ],
        },
      ],
    });
    restoreJob('Aurora', CLUSTER_ARN);
    rds
      .on(DescribeDBClustersCommand, { DBClusterIdentifier: CLUSTER_ID })
      .resolves(cluster([{ DBInstanceIdentifier: INSTANCE, IsClusterWriter: true }]));
    const outcome = await validate(deps().deps, { kind: 'instance-created', instanceId: INSTANCE });
    expect(outcome).toEqual(expect.objectContaining({ action: 'reported', status: 'SUCCESSFUL' }));
    expect(rds).toHaveReceivedCommandWith(DeleteDBInstanceCommand, {
      DBInstanceIdentifier: INSTANCE,
    });
    expect(rds).toHaveReceivedCommandTimes(DeleteDBInstanceCommand, 1);
  });

  it('leaves alone an instance it did not tag', async () => {
    rds.on(DescribeDBInstancesCommand).resolves({
      DBInstances: [
        { DBInstanceIdentifier: INSTANCE, DBClusterIdentifier: CLUSTER_ID, TagList: [] },
      ],
    });
    const outcome = await validate(deps().deps, { kind: 'instance-created', instanceId: INSTANCE });
    expect(outcome.action).toBe('ignored');
    expect(rds).not.toHaveReceivedCommand(DeleteDBInstanceCommand);
    expect(backup).not.toHaveReceivedCommand(PutRestoreValidationResultCommand);
  });
});
