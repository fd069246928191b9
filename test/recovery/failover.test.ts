import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { GlobalCluster } from '@aws-sdk/client-rds';
import {
  DescribeDBClustersCommand,
  DescribeGlobalClustersCommand,
  FailoverGlobalClusterCommand,
  RDSClient,
  SwitchoverGlobalClusterCommand,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DEFAULT_CONFIG } from '../../lib/config';
import { InputError, RefusedError, failover } from '../../lib/recovery';
import type { FailoverOptions } from '../../lib/recovery';
import { fakeRuntime } from './fakes';

const rds = mockClient(RDSClient);
const cloudWatch = mockClient(CloudWatchClient);

const GLOBAL = 'logi-prod-global-aurora';
const arn = (region: string) =>
  `arn:aws:rds:${region}:333333333333:cluster:logi-prod-${region}-aurora`;
const PRIMARY = arn('ap-southeast-2');
const SECONDARY = arn('ap-southeast-4');

const globalCluster = (writer: string, extra: Partial<GlobalCluster> = {}): GlobalCluster => ({
  GlobalClusterIdentifier: GLOBAL,
  Status: 'available',
  GlobalClusterMembers: [
    { DBClusterArn: PRIMARY, IsWriter: writer === PRIMARY },
    { DBClusterArn: SECONDARY, IsWriter: writer === SECONDARY },
  ],
  ...extra,
});

function expectNothingDone(): void {
  expect(rds).not.toHaveReceivedCommand(SwitchoverGlobalClusterCommand);
  expect(rds).not.toHaveReceivedCommand(FailoverGlobalClusterCommand);
}

beforeEach(() => {
  rds.reset();
  cloudWatch.reset();
  rds
    .on(DescribeGlobalClustersCommand)
    .resolvesOnce({ GlobalClusters: [globalCluster(PRIMARY)] })
    .resolvesOnce({
      GlobalClusters: [
        globalCluster(PRIMARY, { Status: 'switching-over', FailoverState: { Status: 'pending' } }),
      ],
    })
    .resolves({ GlobalClusters: [globalCluster(SECONDARY)] });
  rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ Status: 'available' }] });
  rds.on(SwitchoverGlobalClusterCommand).resolves({});
  rds.on(FailoverGlobalClusterCommand).resolves({});
  cloudWatch
    .on(GetMetricDataCommand)
    .resolves({ MetricDataResults: [{ Id: 'lag', Values: [120, 900] }] });
});

const planned: FailoverOptions = { env: 'prod', to: 'ap-southeast-4', confirm: `prod/${GLOBAL}` };

test('planned switchover: preflight passes, switches over, waits for the new writer, prints fail-back', async () => {
  const rt = fakeRuntime();
  const result = await failover(DEFAULT_CONFIG, planned, rt);
  expect(result).toMatchObject({ mode: 'switchover', done: true });
  expect(rds).toHaveReceivedCommandWith(SwitchoverGlobalClusterCommand, {
    GlobalClusterIdentifier: GLOBAL,
    TargetDbClusterIdentifier: SECONDARY,
  });
  expect(cloudWatch).toHaveReceivedCommandWith(GetMetricDataCommand, {
    MetricDataQueries: [
      expect.objectContaining({
        MetricStat: expect.objectContaining({
          Metric: {
            Namespace: 'AWS/RDS',
            MetricName: 'AuroraGlobalDBReplicationLag',
            Dimensions: [{ Name: 'DBClusterIdentifier', Value: 'logi-prod-ap-southeast-4-aurora' }],
          },
        }),
      }),
    ],
  });
  const text = rt.terminal.text();
  expect(text).toContain('PASS  replication lag below 1000 ms: 120 ms');
  expect(text).toContain(
    'switching-over, writer ap-southeast-2, pending -> available, writer ap-southeast-4',
  );
  expect(text).toContain('npm run restore -- failover --env prod --to ap-southeast-2');
  expect(text).toContain('npm run restore -- failback-files --env prod --buckets files --since');
});

test('--dry-run runs the preflight, prints the call, changes nothing', async () => {
  const rt = fakeRuntime();
  await failover(DEFAULT_CONFIG, { ...planned, confirm: undefined, dryRun: true }, rt);
  expectNothingDone();
  expect(rt.terminal.text()).toContain('[dry run] would call rds:SwitchoverGlobalCluster');
});

describe('planned switchover refuses when preflight fails', () => {
  test.each([
    [
      'lag above the threshold',
      () =>
        cloudWatch
          .on(GetMetricDataCommand)
          .resolves({ MetricDataResults: [{ Id: 'lag', Values: [4000] }] }),
      'FAIL  replication lag below 1000 ms: 4000 ms',
    ],
    [
      'no lag datapoints',
      () =>
        cloudWatch
          .on(GetMetricDataCommand)
          .resolves({ MetricDataResults: [{ Id: 'lag', Values: [] }] }),
      'no AuroraGlobalDBReplicationLag datapoint',
    ],
    [
      'a member not available',
      () => rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ Status: 'modifying' }] }),
      'is modifying',
    ],
    [
      'the global cluster not available',
      () =>
        rds
          .on(DescribeGlobalClustersCommand)
          .resolves({ GlobalClusters: [globalCluster(PRIMARY, { Status: 'modifying' })] }),
      'FAIL  global cluster available',
    ],
    [
      'a failover already running',
      () =>
        rds.on(DescribeGlobalClustersCommand).resolves({
          GlobalClusters: [
            globalCluster(PRIMARY, {
              FailoverState: { Status: 'failing-over', IsDataLossAllowed: true },
            }),
          ],
        }),
      'a failover is failing-over',
    ],
  ])('%s', async (_name, arrange, line) => {
    arrange();
    const rt = fakeRuntime();
    const attempt = failover(DEFAULT_CONFIG, planned, rt);
    await expect(attempt).rejects.toThrow(RefusedError);
    await expect(attempt).rejects.toThrow(/preflight failed/);
    expect(rt.terminal.text()).toContain(line);
    expectNothingDone();
  });

  test('--max-lag-ms raises the threshold', async () => {
    cloudWatch
      .on(GetMetricDataCommand)
      .resolves({ MetricDataResults: [{ Id: 'lag', Values: [4000] }] });
    await failover(DEFAULT_CONFIG, { ...planned, maxLagMs: '10000' }, fakeRuntime());
    expect(rds).toHaveReceivedCommand(SwitchoverGlobalClusterCommand);
  });
});

test.each([
  [
    'the region already hosts the writer',
    { to: 'ap-southeast-2' },
    RefusedError,
    /already hosts the writer/,
  ],
  [
    'a single-region environment',
    { env: 'dev', to: 'ap-southeast-2' },
    InputError,
    /has one region/,
  ],
  [
    'a region not in config',
    { to: 'us-east-1' },
    InputError,
    /--to: "us-east-1" is not a region of environment "prod"/,
  ],
  ['an unknown environment', { env: 'staging' }, InputError, /--env: "staging"/],
  [
    '--unplanned without --allow-data-loss',
    { unplanned: true },
    RefusedError,
    /--unplanned without --allow-data-loss/,
  ],
  [
    '--allow-data-loss without --unplanned',
    { allowDataLoss: true },
    InputError,
    /only applies to --unplanned/,
  ],
  [
    'a bad --max-lag-ms',
    { maxLagMs: 'fast' },
    InputError,
    /--max-lag-ms: "fast" is not a positive number/,
  ],
])('refuses %s, nothing done', async (_name, override, type, message) => {
  const attempt = failover(DEFAULT_CONFIG, { ...planned, ...override }, fakeRuntime());
  await expect(attempt).rejects.toThrow(type);
  await expect(attempt).rejects.toThrow(message);
  expectNothingDone();
});

test('unplanned failover with --allow-data-loss: warns, needs the typed confirmation, fails over', async () => {
  cloudWatch
    .on(GetMetricDataCommand)
    .resolves({ MetricDataResults: [{ Id: 'lag', Values: [4000] }] });
  rds
    .on(DescribeDBClustersCommand, { DBClusterIdentifier: 'logi-prod-ap-southeast-2-aurora' })
    .rejects(new Error('region down'));
  const rt = fakeRuntime({ interactive: true, answers: [`prod/${GLOBAL}`] });
  const result = await failover(
    DEFAULT_CONFIG,
    { ...planned, confirm: undefined, unplanned: true, allowDataLoss: true },
    rt,
  );
  expect(result.mode).toBe('failover');
  expect(rds).toHaveReceivedCommandWith(FailoverGlobalClusterCommand, {
    GlobalClusterIdentifier: GLOBAL,
    TargetDbClusterIdentifier: SECONDARY,
    AllowDataLoss: true,
  });
  expect(rds).not.toHaveReceivedCommand(SwitchoverGlobalClusterCommand);
  expect(rt.terminal.errors.join('\n')).toContain('WARNING: unplanned failover with data loss');
  expect(rt.terminal.text()).toContain('Last replication lag seen: 4000 ms');
  expect(rt.terminal.questions).toEqual([`Type prod/${GLOBAL} to continue: `]);
});

test('unplanned failover refuses a wrong confirmation and a missing TTY', async () => {
  const options = { ...planned, unplanned: true, allowDataLoss: true };
  await expect(
    failover(
      DEFAULT_CONFIG,
      { ...options, confirm: `prod/logi-prod-ap-southeast-4-aurora` },
      fakeRuntime(),
    ),
  ).rejects.toThrow(/does not match/);
  rds.on(DescribeGlobalClustersCommand).resolves({ GlobalClusters: [globalCluster(PRIMARY)] });
  await expect(
    failover(DEFAULT_CONFIG, { ...options, confirm: undefined }, fakeRuntime()),
  ).rejects.toThrow(/no terminal/);
  expectNothingDone();
});
