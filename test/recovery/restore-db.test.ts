import {
  BackupClient,
  DescribeRecoveryPointCommand,
  DescribeRestoreJobCommand,
  GetRecoveryPointRestoreMetadataCommand,
  StartRestoreJobCommand,
} from '@aws-sdk/client-backup';
import {
  CreateDBInstanceCommand,
  DBClusterNotFoundFault,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  ModifyDBClusterCommand,
  RDSClient,
  RestoreDBClusterToPointInTimeCommand,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DEFAULT_CONFIG } from '../../lib/config';
import { InputError, RefusedError, restoreDb } from '../../lib/recovery';
import type { RestoreDbOptions } from '../../lib/recovery';
import { fakeRuntime } from './fakes';

const rds = mockClient(RDSClient);
const backup = mockClient(BackupClient);

const NOW = new Date('2025-03-01T12:00:00Z');
const LIVE = 'logi-prod-ap-southeast-2-aurora';
const LIVE_ARN = `arn:aws:rds:ap-southeast-2:333333333333:cluster:${LIVE}`;
const TARGET = `${LIVE}-restore-202503011200`;
const POINT =
  'arn:aws:backup:ap-southeast-2:333333333333:recovery-point:1EB3B5E7-9EB0-435A-A80B-108B488B0D45';
const notFound = () => new DBClusterNotFoundFault({ message: 'not found', $metadata: {} });

const DESTRUCTIVE = [
  RestoreDBClusterToPointInTimeCommand,
  CreateDBInstanceCommand,
  ModifyDBClusterCommand,
  StartRestoreJobCommand,
] as const;

function expectNothingDone(): void {
  for (const command of DESTRUCTIVE) {
    expect(rds.commandCalls(command as never)).toHaveLength(0);
    expect(backup.commandCalls(command as never)).toHaveLength(0);
  }
}

beforeEach(() => {
  rds.reset();
  backup.reset();
  rds.on(DescribeDBClustersCommand, { DBClusterIdentifier: LIVE }).resolves({
    DBClusters: [
      {
        DBClusterIdentifier: LIVE,
        DBClusterArn: LIVE_ARN,
        Engine: 'aurora-postgresql',
        Status: 'available',
        DBSubnetGroup: 'logi-prod-isolated',
        VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-0db', Status: 'active' }],
        KmsKeyId: 'arn:aws:kms:ap-southeast-2:333333333333:key/db',
        IAMDatabaseAuthenticationEnabled: true,
        DeletionProtection: true,
        DBClusterParameterGroup: 'logi-prod-aurora-params',
        EarliestRestorableTime: new Date('2025-02-01T00:00:00Z'),
        LatestRestorableTime: new Date('2025-03-01T11:55:00Z'),
      },
    ],
  });
  rds
    .on(DescribeDBClustersCommand, { DBClusterIdentifier: TARGET })
    .rejectsOnce(notFound())
    .resolvesOnce({ DBClusters: [{ DBClusterIdentifier: TARGET, Status: 'creating' }] })
    .resolvesOnce({ DBClusters: [{ DBClusterIdentifier: TARGET, Status: 'creating' }] })
    .resolves({
      DBClusters: [
        {
          DBClusterIdentifier: TARGET,
          Status: 'available',
          Engine: 'aurora-postgresql',
          Endpoint: `${TARGET}.cluster-abc.ap-southeast-2.rds.amazonaws.com`,
        },
      ],
    });
  rds
    .on(DescribeDBInstancesCommand, { Filters: [{ Name: 'db-cluster-id', Values: [LIVE] }] })
    .resolves({
      DBInstances: [{ DBInstanceIdentifier: `${LIVE}-writer`, DBInstanceClass: 'db.r6g.large' }],
    });
  rds
    .on(DescribeDBInstancesCommand, { DBInstanceIdentifier: `${TARGET}-1` })
    .resolvesOnce({ DBInstances: [{ DBInstanceStatus: 'creating' }] })
    .resolves({ DBInstances: [{ DBInstanceStatus: 'available' }] });
  rds.on(RestoreDBClusterToPointInTimeCommand).resolves({});
  rds.on(CreateDBInstanceCommand).resolves({});
});

const pitr: RestoreDbOptions = {
  env: 'prod',
  region: 'ap-southeast-2',
  toTime: '2025-03-01T09:15:00Z',
  confirm: `prod/${LIVE}`,
};

describe('restore-db to a point in time', () => {
  test('restores into a new cluster with the live network, key and auth, adds an instance, prints next steps', async () => {
    const rt = fakeRuntime({ now: NOW });
    const result = await restoreDb(DEFAULT_CONFIG, pitr, rt);
    expect(result.targetCluster).toBe(TARGET);
    expect(rds).toHaveReceivedCommandWith(RestoreDBClusterToPointInTimeCommand, {
      DBClusterIdentifier: TARGET,
      SourceDBClusterIdentifier: LIVE,
      RestoreToTime: new Date('2025-03-01T09:15:00Z'),
      RestoreType: 'copy-on-write',
      DBSubnetGroupName: 'logi-prod-isolated',
      VpcSecurityGroupIds: ['sg-0db'],
      KmsKeyId: 'arn:aws:kms:ap-southeast-2:333333333333:key/db',
      EnableIAMDatabaseAuthentication: true,
      DeletionProtection: true,
    });
    expect(rds).toHaveReceivedCommandWith(CreateDBInstanceCommand, {
      DBInstanceIdentifier: `${TARGET}-1`,
      DBClusterIdentifier: TARGET,
      Engine: 'aurora-postgresql',
      DBInstanceClass: 'db.r6g.large',
      PubliclyAccessible: false,
    });
    const text = rt.terminal.text();
    expect(text).toContain(`cluster ${TARGET}: (start) -> creating`);
    expect(text).toMatch(/\[\d+s\] cluster .*: creating -> available/);
    expect(text).toContain(
      `writer endpoint: ${TARGET}.cluster-abc.ap-southeast-2.rds.amazonaws.com`,
    );
    expect(text).toContain(
      `aws rds delete-db-cluster --region ap-southeast-2 --db-cluster-identifier ${TARGET}`,
    );
    expect(rt.sleeps.slice(0, 2)).toEqual([5000, 7500]);
  });

  test('--dry-run prints the exact calls and changes nothing', async () => {
    const rt = fakeRuntime({ now: NOW });
    await restoreDb(
      DEFAULT_CONFIG,
      { ...pitr, confirm: undefined, dryRun: true, restoreType: 'full-copy' },
      rt,
    );
    expectNothingDone();
    const text = rt.terminal.text();
    expect(text).toContain('[dry run] would call rds:RestoreDBClusterToPointInTime');
    expect(text).toContain('"RestoreType": "full-copy"');
    expect(text).toContain('[dry run] would call rds:CreateDBInstance');
  });

  test.each([
    ['unknown environment', { env: 'staging' }, /--env: "staging" is not an environment/],
    [
      'region not in config',
      { env: 'dev', region: 'ap-southeast-4' },
      /--region: "ap-southeast-4" is not a region of environment "dev"/,
    ],
    ['a time in the future', { toTime: '2025-03-01T12:30:00Z' }, /--to-time: .* is in the future/],
    [
      'a time without a zone',
      { toTime: '2025-03-01T09:15:00' },
      /--to-time: .* is not an ISO-8601 time with a time zone/,
    ],
    [
      'older than the continuous window',
      { env: 'dev', toTime: '2025-02-20T00:00:00Z', confirm: 'dev/x' },
      /older than dev's continuous backup window \(7 days/,
    ],
    [
      'before the earliest restorable time',
      { toTime: '2025-01-31T00:00:00Z' },
      /before .* earliest restorable time/,
    ],
    ['both sources', { recoveryPoint: POINT }, /pass only one of them/],
    ['no source', { toTime: undefined }, /one of them is required/],
  ])('refuses %s, nothing done', async (_name, override, message) => {
    await expect(
      restoreDb(DEFAULT_CONFIG, { ...pitr, ...override }, fakeRuntime({ now: NOW })),
    ).rejects.toThrow(message);
    expectNothingDone();
  });

  test('refuses a target equal to the live cluster (any case), nothing done', async () => {
    const attempt = restoreDb(
      DEFAULT_CONFIG,
      { ...pitr, targetCluster: LIVE.toUpperCase() },
      fakeRuntime({ now: NOW }),
    );
    await expect(attempt).rejects.toThrow(RefusedError);
    await expect(attempt).rejects.toThrow(/is the live cluster; restores never overwrite it/);
    expectNothingDone();
  });

  test('refuses a target that already exists', async () => {
    rds
      .on(DescribeDBClustersCommand, { DBClusterIdentifier: 'old-restore' })
      .resolves({ DBClusters: [{ Status: 'available' }] });
    await expect(
      restoreDb(
        DEFAULT_CONFIG,
        { ...pitr, targetCluster: 'old-restore' },
        fakeRuntime({ now: NOW }),
      ),
    ).rejects.toThrow(/already exists/);
    expectNothingDone();
  });

  describe('an in-flight restore of the same target', () => {
    const OURS = [
      { Key: 'restored-from', Value: LIVE },
      { Key: 'restore-detail', Value: 'point-in-time 2025-03-01T09:15:00.000Z' },
      { Key: 'restored-by', Value: 'npm run restore' },
    ];
    const existing = (status: string, tags = OURS) => ({
      DBClusters: [
        {
          DBClusterIdentifier: 'resumed',
          Status: status,
          Engine: 'aurora-postgresql',
          TagList: tags,
          Endpoint: 'resumed.cluster-abc.ap-southeast-2.rds.amazonaws.com',
        },
      ],
    });
    const instances = (ids: string[]) =>
      rds
        .on(DescribeDBInstancesCommand, {
          Filters: [{ Name: 'db-cluster-id', Values: ['resumed'] }],
        })
        .resolves({ DBInstances: ids.map((id) => ({ DBInstanceIdentifier: id })) });
    const resume = (rt = fakeRuntime({ now: new Date('2025-03-01T12:40:00Z') })) =>
      restoreDb(DEFAULT_CONFIG, { ...pitr, targetCluster: 'resumed' }, rt);

    test('is resumed: no second restore, the cluster awaited, its instance added once', async () => {
      rds
        .on(DescribeDBClustersCommand, { DBClusterIdentifier: 'resumed' })
        .resolvesOnce(existing('creating'))
        .resolvesOnce(existing('creating'))
        .resolves(existing('available'));
      instances([]);
      rds
        .on(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'resumed-1' })
        .resolves({ DBInstances: [{ DBInstanceStatus: 'available' }] });
      const rt = fakeRuntime({ now: new Date('2025-03-01T12:40:00Z') });
      const result = await resume(rt);
      expect(result).toMatchObject({ targetCluster: 'resumed', instance: 'resumed-1' });
      expect(rds).not.toHaveReceivedCommand(RestoreDBClusterToPointInTimeCommand);
      expect(rds).toHaveReceivedCommandTimes(CreateDBInstanceCommand, 1);
      expect(rt.terminal.text()).toContain('Resuming the restore into resumed');
    });

    test('whose instance exists already adds none', async () => {
      rds
        .on(DescribeDBClustersCommand, { DBClusterIdentifier: 'resumed' })
        .resolves(existing('available'));
      instances(['resumed-1']);
      const result = await resume();
      expect(result.instance).toBe('resumed-1');
      expect(rds).not.toHaveReceivedCommand(RestoreDBClusterToPointInTimeCommand);
      expect(rds).not.toHaveReceivedCommand(CreateDBInstanceCommand);
    });

    test('is refused when the existing cluster is another restore or not a restore at all', async () => {
      for (const tags of [
        OURS.map((t) =>
          t.Key === 'restore-detail'
            ? { ...t, Value: 'point-in-time 2025-03-01T08:00:00.000Z' }
            : t,
        ),
        [],
      ]) {
        rds.reset();
        rds.on(DescribeDBClustersCommand, { DBClusterIdentifier: LIVE }).resolves({
          DBClusters: [
            { DBClusterIdentifier: LIVE, Engine: 'aurora-postgresql', Status: 'available' },
          ],
        });
        rds
          .on(DescribeDBClustersCommand, { DBClusterIdentifier: 'resumed' })
          .resolves(existing('available', tags));
        await expect(resume()).rejects.toThrow(/already exists and is not this restore/);
        expectNothingDone();
      }
    });
  });

  test('refuses a wrong --confirm, a wrong typed answer, and no TTY without --confirm', async () => {
    rds.on(DescribeDBClustersCommand, { DBClusterIdentifier: TARGET }).rejects(notFound());
    await expect(
      restoreDb(DEFAULT_CONFIG, { ...pitr, confirm: 'prod/logi-prod' }, fakeRuntime({ now: NOW })),
    ).rejects.toThrow(`--confirm "prod/logi-prod" does not match; nothing was done`);
    await expect(
      restoreDb(
        DEFAULT_CONFIG,
        { ...pitr, confirm: undefined },
        fakeRuntime({ now: NOW, interactive: true, answers: ['yes'] }),
      ),
    ).rejects.toThrow(`typed "yes", which does not match; nothing was done`);
    await expect(
      restoreDb(DEFAULT_CONFIG, { ...pitr, confirm: undefined }, fakeRuntime({ now: NOW })),
    ).rejects.toMatchObject({
      message: expect.stringContaining('no terminal'),
      fix: expect.stringContaining('pass --confirm <environment>/<name of the resource'),
    });
    expectNothingDone();
  });

  test('no refusal ever prints the text to type: it would be pasted back without reading', async () => {
    rds.on(DescribeDBClustersCommand, { DBClusterIdentifier: TARGET }).rejects(notFound());
    const refusals = await Promise.all(
      [
        restoreDb(
          DEFAULT_CONFIG,
          { ...pitr, confirm: 'prod/logi-prod' },
          fakeRuntime({ now: NOW }),
        ),
        restoreDb(
          DEFAULT_CONFIG,
          { ...pitr, confirm: undefined },
          fakeRuntime({ now: NOW, interactive: true, answers: ['yes'] }),
        ),
        restoreDb(DEFAULT_CONFIG, { ...pitr, confirm: undefined }, fakeRuntime({ now: NOW })),
      ].map((run) =>
        run.then(
          (): Error & { fix?: string } => new Error('not refused'),
          (e: unknown) => e as Error & { fix?: string },
        ),
      ),
    );
    for (const refusal of refusals) {
      expect(refusal).toBeInstanceOf(RefusedError);
      expect(`${refusal.message} ${refusal.fix ?? ''}`).not.toContain(`prod/${LIVE}`);
    }
    expectNothingDone();
  });
});

describe('restore-db from a recovery point', () => {
  const fromPoint: RestoreDbOptions = {
    env: 'prod',
    region: 'ap-southeast-2',
    recoveryPoint: POINT,
    confirm: `prod/${LIVE}`,
  };

  test('starts an AWS Backup restore job with the live subnet group and security groups, waits, adds an instance', async () => {
    backup.on(DescribeRecoveryPointCommand).resolves({
      ResourceType: 'Aurora',
      ResourceArn: LIVE_ARN,
      Status: 'COMPLETED',
      RecoveryPointArn: POINT,
    });
    backup.on(GetRecoveryPointRestoreMetadataCommand).resolves({
      RestoreMetadata: {
        DBClusterIdentifier: LIVE,
        Engine: 'aurora-postgresql',
        VpcSecurityGroupIds: '["sg-old"]',
        AvailabilityZones: '["ap-southeast-2a"]',
      },
    });
    backup.on(StartRestoreJobCommand).resolves({ RestoreJobId: 'job-1' });
    backup
      .on(DescribeRestoreJobCommand)
      .resolvesOnce({ Status: 'RUNNING', PercentDone: '40%' })
      .resolves({ Status: 'COMPLETED' });
    const rt = fakeRuntime({ now: NOW });
    await restoreDb(DEFAULT_CONFIG, fromPoint, rt);
    expect(backup).toHaveReceivedCommandWith(DescribeRecoveryPointCommand, {
      BackupVaultName: 'logi-prod-ap-southeast-2-vault',
      RecoveryPointArn: POINT,
    });
    const [call] = backup.commandCalls(StartRestoreJobCommand);
    expect(call.args[0].input).toEqual({
      RecoveryPointArn: POINT,
      ResourceType: 'Aurora',
      IamRoleArn: 'arn:aws:iam::333333333333:role/service-role/AWSBackupDefaultServiceRole',
      IdempotencyToken: TARGET,
      CopySourceTagsToRestoredResource: true,
      Metadata: {
        DBClusterIdentifier: TARGET,
        Engine: 'aurora-postgresql',
        DBSubnetGroupName: 'logi-prod-isolated',
        VpcSecurityGroupIds: '["sg-0db"]',
        KmsKeyId: 'arn:aws:kms:ap-southeast-2:333333333333:key/db',
        EnableIAMDatabaseAuthentication: 'true',
        DeletionProtection: 'true',
      },
    });
    expect(rds).toHaveReceivedCommand(CreateDBInstanceCommand);
    expect(rds).not.toHaveReceivedCommand(RestoreDBClusterToPointInTimeCommand);
    expect(rt.terminal.text()).toContain('restore job job-1: (start) -> RUNNING 40%');
    expect(rt.terminal.text()).toContain('RUNNING 40% -> COMPLETED');
  });

  test.each([
    [
      'S3',
      'arn:aws:s3:::logi-prod-ap-southeast-2-files',
      /recovery point of an S3 bucket .* not of an Aurora cluster/,
    ],
    [
      'DynamoDB',
      'arn:aws:dynamodb:ap-southeast-2:333333333333:table/logi-prod-tenants',
      /recovery point of a DynamoDB table/,
    ],
  ])('refuses a recovery point of type %s, nothing done', async (type, resourceArn, message) => {
    backup
      .on(DescribeRecoveryPointCommand)
      .resolves({ ResourceType: type, ResourceArn: resourceArn, Status: 'COMPLETED' });
    const attempt = restoreDb(DEFAULT_CONFIG, fromPoint, fakeRuntime({ now: NOW }));
    await expect(attempt).rejects.toThrow(InputError);
    await expect(attempt).rejects.toThrow(message);
    expectNothingDone();
  });

  test('refuses a recovery point of another region or of another cluster, and a malformed ARN', async () => {
    rds.on(DescribeDBClustersCommand, { DBClusterIdentifier: TARGET }).rejects(notFound());
    await expect(
      restoreDb(
        DEFAULT_CONFIG,
        { ...fromPoint, recoveryPoint: POINT.replace('ap-southeast-2', 'ap-southeast-4') },
        fakeRuntime({ now: NOW }),
      ),
    ).rejects.toThrow(/is in ap-southeast-4, not in --region ap-southeast-2/);
    await expect(
      restoreDb(
        DEFAULT_CONFIG,
        { ...fromPoint, recoveryPoint: 'rp-123' },
        fakeRuntime({ now: NOW }),
      ),
    ).rejects.toThrow(/--recovery-point: "rp-123" is not an ARN/);
    backup.on(DescribeRecoveryPointCommand).resolves({
      ResourceType: 'Aurora',
      ResourceArn: 'arn:aws:rds:ap-southeast-2:333333333333:cluster:someone-else',
      Status: 'COMPLETED',
    });
    await expect(restoreDb(DEFAULT_CONFIG, fromPoint, fakeRuntime({ now: NOW }))).rejects.toThrow(
      /not of prod's Aurora cluster/,
    );
    expectNothingDone();
  });
});
