import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeDBClustersCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { main } from '../../bin/restore';
import { DEFAULT_CONFIG } from '../../lib/config';
import { EXIT } from '../../lib/recovery';
import { fakeRuntime } from './fakes';

const rds = mockClient(RDSClient);
beforeEach(() => rds.reset());

test('the real entry point: bad input exits 2 with the option and the fix on stderr, no AWS needed', () => {
  const run = spawnSync(
    'npx',
    [
      'tsx',
      'bin/restore.ts',
      'restore-db',
      '--env',
      'staging',
      '--region',
      'ap-southeast-2',
      '--to-time',
      '2025-03-01T00:00:00Z',
    ],
    {
      cwd: join(__dirname, '../..'),
      encoding: 'utf8',
      env: { ...process.env, AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' },
    },
  );
  expect(run.status).toBe(EXIT.badInput);
  expect(run.stderr).toContain(
    'error: --env: "staging" is not an environment of the platform config',
  );
  expect(run.stderr).toContain('fix: use one of: dev, test, prod');
});

test('main: --help lists the commands and exits 0', async () => {
  const rt = fakeRuntime();
  expect(await main(['--help'], rt)).toBe(EXIT.ok);
  expect(rt.terminal.text()).toMatch(
    /points[\s\S]*restore-db[\s\S]*restore-files[\s\S]*failover[\s\S]*failback-files/,
  );
});

test('main: a missing required option or an unknown choice is a usage error (exit 2)', async () => {
  const rt = fakeRuntime();
  expect(await main(['points', '--env', 'prod', '--region', 'ap-southeast-2'], rt)).toBe(
    EXIT.badInput,
  );
  expect(rt.terminal.text()).toContain("required option '--resource <resource>' not specified");
  expect(
    await main(
      ['points', '--env', 'prod', '--region', 'ap-southeast-2', '--resource', 'redis'],
      rt,
    ),
  ).toBe(EXIT.badInput);
});

test('main: refusals exit 3 and do nothing; a region outside the config exits 2', async () => {
  const rt = fakeRuntime();
  expect(
    await main(['failover', '--env', 'prod', '--to', 'ap-southeast-4', '--unplanned'], rt),
  ).toBe(EXIT.refused);
  expect(rt.terminal.text()).toContain('--unplanned without --allow-data-loss');
  expect(
    await main(
      [
        'restore-files',
        '--env',
        'prod',
        '--region',
        'eu-west-1',
        '--prefix',
        'tenants/',
        '--to-time',
        '2025-03-01T00:00:00Z',
      ],
      rt,
    ),
  ).toBe(EXIT.badInput);
  expect(rt.terminal.text()).toContain(
    '--region: "eu-west-1" is not a region of environment "prod"',
  );
  expect(rds.calls()).toHaveLength(0);
});

test('main: --config loads another config file; a broken one exits 2 naming the problem', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'restore-cli-'));
  const custom = join(dir, 'platform.json');
  writeFileSync(
    custom,
    JSON.stringify({ ...DEFAULT_CONFIG, environments: { prod: DEFAULT_CONFIG.environments.prod } }),
  );
  const rt = fakeRuntime();
  expect(
    await main(
      [
        '--config',
        custom,
        'points',
        '--env',
        'dev',
        '--region',
        'ap-southeast-2',
        '--resource',
        'aurora',
      ],
      rt,
    ),
  ).toBe(EXIT.badInput);
  expect(rt.terminal.text()).toContain('--env: "dev" is not an environment of the platform config');
  expect(rt.terminal.text()).toContain('use one of: prod');

  const broken = join(dir, 'broken.json');
  writeFileSync(broken, '{"app": ');
  expect(
    await main(
      [
        '--config',
        broken,
        'points',
        '--env',
        'prod',
        '--region',
        'ap-southeast-2',
        '--resource',
        'aurora',
      ],
      rt,
    ),
  ).toBe(EXIT.badInput);
  expect(rt.terminal.text()).toContain('not valid JSON');
});

test('main: an AWS failure exits 1 with the error', async () => {
  rds.on(DescribeDBClustersCommand).rejects(
    Object.assign(new Error('The security token included in the request is invalid'), {
      name: 'InvalidClientTokenId',
    }),
  );
  const rt = fakeRuntime({ now: new Date('2025-03-01T12:00:00Z') });
  const code = await main(
    [
      'restore-db',
      '--env',
      'prod',
      '--region',
      'ap-southeast-2',
      '--to-time',
      '2025-03-01T09:00:00Z',
      '--dry-run',
    ],
    rt,
  );
  expect(code).toBe(EXIT.failed);
  expect(rt.terminal.errors.join('\n')).toContain('InvalidClientTokenId');
});

test('main: failback-files refuses a day that does not exist (exit 2, --since named) and needs --buckets', async () => {
  const rt = fakeRuntime({ now: new Date('2026-12-20T00:00:00Z') });
  const args = ['failback-files', '--env', 'prod', '--since', '2026-11-31T00:00:00Z'];
  expect(await main([...args, '--buckets', 'files'], rt)).toBe(EXIT.badInput);
  expect(rt.terminal.text()).toContain(
    'error: --since: "2026-11-31T00:00:00Z" is not an ISO-8601 time',
  );
  expect(await main(args, rt)).toBe(EXIT.badInput);
  expect(rt.terminal.text()).toContain("required option '--buckets <which>' not specified");
  expect(await main([...args, '--buckets', 'logs'], rt)).toBe(EXIT.badInput);
  expect(rt.terminal.text()).toContain('Allowed choices are files, archive, both');
});
