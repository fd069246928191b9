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
import { GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import type { DatabaseQuery, QueryTarget } from '../../../lambda/restore-validation/database-query';
import {
  SENTINEL_OBJECT_BODY,
  SENTINEL_OBJECT_KEY,
} from '../../../lambda/restore-validation/sentinel-object';
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

const TABLES = ['app.invoices', 'app.shipments'];
/** What a complete restore answers: the sentinel row and every table it lists. */
const complete = {
  currentUser: 'restore_validator',
  restoredTables: TABLES,
  sentinel: { appTables: TABLES, writtenAt: '2026-11-30T10:00:00.000Z' },
};

function deps(query: DatabaseQuery = async () => complete): {
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
        user: 'restore_validator',
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
  const body = (text: string) => ({ transformToString: async () => text }) as never;
  const sentinel = { Bucket: BUCKET, Key: SENTINEL_OBJECT_KEY };

  it('reads the sentinel object of the restored bucket, byte for byte, and reports SUCCESSFUL', async () => {
    restoreJob('S3', `arn:aws:s3:::${BUCKET}`);
    s3.on(GetObjectCommand, sentinel).resolves({ Body: body(SENTINEL_OBJECT_BODY) });
    const outcome = await validate(deps().deps, trigger);
    expect(outcome).toEqual(expect.objectContaining({ status: 'SUCCESSFUL' }));
    expect(backup).toHaveReceivedCommandWith(PutRestoreValidationResultCommand, {
      RestoreJobId: JOB,
      ValidationStatus: 'SUCCESSFUL',
      ValidationStatusMessage: expect.stringContaining(
        `read the sentinel object ${SENTINEL_OBJECT_KEY}`,
      ),
    });
  });

  it('reports FAILED with the reason when the object cannot be read', async () => {
    restoreJob('S3', `arn:aws:s3:::${BUCKET}`);
    s3.on(GetObjectCommand).rejects(new Error('AccessDenied: kms:Decrypt'));
    await validate(deps().deps, trigger);
    expect(backup).toHaveReceivedCommandWith(PutRestoreValidationResultCommand, {
      ValidationStatus: 'FAILED',
      ValidationStatusMessage: expect.stringContaining('AccessDenied: kms:Decrypt'),
    });
  });

  it('fails an empty restored bucket (no sentinel object): an empty or short restore', async () => {
    restoreJob('S3', `arn:aws:s3:::${BUCKET}`);
    s3.on(GetObjectCommand).rejects(
      new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} }),
    );
    const outcome = await validate(deps().deps, trigger);
    expect(outcome).toEqual(expect.objectContaining({ status: 'FAILED' }));
    expect(backup).toHaveReceivedCommandWith(PutRestoreValidationResultCommand, {
      ValidationStatus: 'FAILED',
      ValidationStatusMessage: expect.stringContaining('has no sentinel object'),
    });
  });

  it('fails a restored bucket whose sentinel key holds other bytes', async () => {
    restoreJob('S3', `arn:aws:s3:::${BUCKET}`);
    s3.on(GetObjectCommand, sentinel).resolves({ Body: body('{"sentinel":"forged"}') });
    await validate(deps().deps, trigger);
    expect(backup).toHaveReceivedCommandWith(PutRestoreValidationResultCommand, {
      ValidationStatus: 'FAILED',
      ValidationStatusMessage: expect.stringContaining('not the sentinel'),
    });
  });
});

describe('restore validation: Aurora', () => {
  it('queries a restored cluster that has a writer, over its endpoint as restore_validator', async () => {
    restoreJob('Aurora', CLUSTER_ARN);
    rds
      .on(DescribeDBClustersCommand, { DBClusterIdentifier: CLUSTER_ARN })
      .resolves(cluster([{ DBInstanceIdentifier: 'w', IsClusterWriter: true }]));
    const seen: QueryTarget[] = [];
    const { deps: d } = deps(async (target) => {
      seen.push(target);
      return complete;
    });
    const outcome = await validate(d, trigger);
    expect(seen).toEqual([
      {
        host: `${CLUSTER_ID}.cluster-abc.ap-southeast-2.rds.amazonaws.com`,
        port: 5432,
        database: 'postgres',
        user: 'restore_validator',
      },
    ]);
    expect(outcome).toEqual(expect.objectContaining({ status: 'SUCCESSFUL' }));
    expect(backup).toHaveReceivedCommandWith(PutRestoreValidationResultCommand, {
      ValidationStatus: 'SUCCESSFUL',
      ValidationStatusMessage: expect.stringContaining('all 2 tables it lists restored'),
    });
    expect(rds).not.toHaveReceivedCommand(CreateDBInstanceCommand);
  });

  it.each([
    [
      'no sentinel row (an empty restore)',
      { ...complete, restoredTables: [], sentinel: undefined },
      'no restore sentinel row',
    ],
    [
      'a table the sentinel lists is missing (a short restore)',
      { ...complete, restoredTables: ['app.invoices'] },
      'is short: 1 of the 2 tables',
    ],
  ])('reports FAILED when %s', async (_what, answer, message) => {
    restoreJob('Aurora', CLUSTER_ARN);
    rds
      .on(DescribeDBClustersCommand)
      .resolves(cluster([{ DBInstanceIdentifier: 'w', IsClusterWriter: true }]));
    const outcome = await validate(deps(async () => answer).deps, trigger);
    expect(outcome).toEqual(expect.objectContaining({ status: 'FAILED' }));
    expect(backup).toHaveReceivedCommandWith(PutRestoreValidationResultCommand, {
      ValidationStatus: 'FAILED',
      ValidationStatusMessage: expect.stringContaining(message),
    });
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
