import {
  BackupClient,
  ListRecoveryPointsByBackupVaultCommand,
  ListRecoveryPointsByResourceCommand,
} from '@aws-sdk/client-backup';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DEFAULT_CONFIG } from '../../lib/config';
import { listPoints } from '../../lib/recovery';
import { fakeRuntime } from './fakes';

const backup = mockClient(BackupClient);
const rp = (id: string) => `arn:aws:backup:ap-southeast-4:333333333333:recovery-point:${id}`;

beforeEach(() => {
  backup.reset();
  backup
    .on(ListRecoveryPointsByResourceCommand)
    .resolvesOnce({
      RecoveryPoints: [
        {
          RecoveryPointArn: rp('own-1'),
          BackupVaultName: 'logi-prod-ap-southeast-4-vault',
          Status: 'COMPLETED',
          CreationDate: new Date('2025-03-01T01:00:00Z'),
          BackupSizeBytes: 3 * 1024 ** 3,
        },
        {
          RecoveryPointArn: rp('elsewhere'),
          BackupVaultName: 'some-other-vault',
          Status: 'COMPLETED',
          CreationDate: new Date('2025-03-01T02:00:00Z'),
        },
      ],
      NextToken: 'page-2',
    })
    .resolves({
      RecoveryPoints: [
        {
          RecoveryPointArn: rp('own-0'),
          BackupVaultName: 'logi-prod-ap-southeast-4-vault',
          Status: 'COMPLETED',
          CreationDate: new Date('2025-02-28T01:00:00Z'),
        },
      ],
    });
  backup.on(ListRecoveryPointsByBackupVaultCommand).resolves({
    RecoveryPoints: [
      {
        RecoveryPointArn: rp('copy-1'),
        BackupVaultName: 'logi-prod-ap-southeast-4-vault',
        Status: 'COMPLETED',
        CreationDate: new Date('2025-03-01T03:00:00Z'),
      },
    ],
  });
});

test("lists the resource's points in the region's vault and the copies from the peer region, newest first", async () => {
  const rt = fakeRuntime();
  const rows = await listPoints(
    DEFAULT_CONFIG,
    { env: 'prod', region: 'ap-southeast-4', resource: 'aurora' },
    rt,
  );
  expect(backup).toHaveReceivedCommandWith(ListRecoveryPointsByResourceCommand, {
    ResourceArn: 'arn:aws:rds:ap-southeast-4:333333333333:cluster:logi-prod-ap-southeast-4-aurora',
  });
  expect(backup).toHaveReceivedCommandWith(ListRecoveryPointsByResourceCommand, {
    NextToken: 'page-2',
  });
  expect(backup).toHaveReceivedCommandWith(ListRecoveryPointsByBackupVaultCommand, {
    BackupVaultName: 'logi-prod-ap-southeast-4-vault',
    ByResourceArn:
      'arn:aws:rds:ap-southeast-2:333333333333:cluster:logi-prod-ap-southeast-2-aurora',
  });
  expect(rows.map((r) => [r.recoveryPointArn.split(':').pop(), r.source])).toEqual([
    ['copy-1', 'copy from ap-southeast-2'],
    ['own-1', 'local'],
    ['own-0', 'local'],
  ]);
  const text = rt.terminal.text();
  expect(text).toMatch(/CREATED\s+STATUS\s+SIZE\s+SOURCE\s+RECOVERY POINT/);
  expect(text).toContain('3.0 GiB');
});

test('--json prints the rows; files and tenants use the bucket and table ARNs', async () => {
  const rt = fakeRuntime();
  await listPoints(
    DEFAULT_CONFIG,
    { env: 'dev', region: 'ap-southeast-2', resource: 'files', json: true },
    rt,
  );
  expect(backup).toHaveReceivedCommandWith(ListRecoveryPointsByResourceCommand, {
    ResourceArn: 'arn:aws:s3:::logi-dev-ap-southeast-2-files',
  });
  expect(backup).not.toHaveReceivedCommand(ListRecoveryPointsByBackupVaultCommand);
  expect(JSON.parse(rt.terminal.lines.join('\n'))).toEqual([]);
  backup.reset();
  backup.on(ListRecoveryPointsByResourceCommand).resolves({});
  await listPoints(
    DEFAULT_CONFIG,
    { env: 'dev', region: 'ap-southeast-2', resource: 'tenants' },
    fakeRuntime(),
  );
  expect(backup).toHaveReceivedCommandWith(ListRecoveryPointsByResourceCommand, {
    ResourceArn: 'arn:aws:dynamodb:ap-southeast-2:111111111111:table/logi-dev-tenants',
  });
});

test('refuses an unknown resource, environment or region before calling AWS', async () => {
  const rt = fakeRuntime();
  await expect(
    listPoints(DEFAULT_CONFIG, { env: 'prod', region: 'ap-southeast-2', resource: 'redis' }, rt),
  ).rejects.toThrow(/--resource: "redis" is not a backed-up resource/);
  await expect(
    listPoints(DEFAULT_CONFIG, { env: 'qa', region: 'ap-southeast-2', resource: 'aurora' }, rt),
  ).rejects.toThrow(/--env/);
  await expect(
    listPoints(DEFAULT_CONFIG, { env: 'dev', region: 'ap-southeast-4', resource: 'aurora' }, rt),
  ).rejects.toThrow(/--region/);
  expect(backup.calls()).toHaveLength(0);
});
