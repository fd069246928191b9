import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildProgram } from '../../bin/restore';
import { loadConfig } from '../../lib/config';
import { failoverReport } from '../../lib/recovery/failover-report';
import { resolveTarget } from '../../lib/recovery/target';
import { runbookAnchors, RUNBOOKS_DIR } from '../support/runbooks';
import { fakeRuntime } from './fakes';

/**
 * The regional-failover runbook, checked offline: it covers every component, each restore command
 * it shows parses with the CLI's own commander definition, and each AWS CLI command names a real
 * service and operation (the operations of the services whose SDK client is installed are checked
 * against the client) with well-formed options.
 */
const FILE = 'regional-failover.md';
const text = readFileSync(join(RUNBOOKS_DIR, FILE), 'utf8');

/** The commands of the runbook's code blocks, continuation lines joined, comments dropped. */
function commands(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
  return blocks.flatMap((block) =>
    block
      .replace(/\\\n\s*/g, ' ')
      .split('\n')
      .map((line) => line.replace(/\s+#\s.*$/, '').trim())
      .filter((line) => line.length > 0),
  );
}

/** Shell words: whitespace-separated, single and double quotes kept together. */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /'([^']*)'|"([^"]*)"|(\S+)/g;
  for (const m of line.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3]);
  const quotes = (line.match(/'/g) ?? []).length + (line.match(/"/g) ?? []).length;
  if (quotes % 2 !== 0) throw new Error(`unbalanced quotes: ${line}`);
  return out;
}

const all = commands(text);
const restore = all.filter((c) => c.startsWith('npm run restore -- '));
const aws = all.filter((c) => c.startsWith('aws '));

test('the runbook covers the database, DNS, user pools, services and the way back', () => {
  const anchors = runbookAnchors(FILE)!;
  for (const anchor of [
    'when-to-use-it',
    'preconditions',
    'database',
    'dns',
    'user-pools-sessions-and-users',
    'services',
    'verify',
    'the-way-back',
    'rpo-and-rto',
    'permissions',
  ]) {
    expect([...anchors]).toContain(anchor);
  }
  // Only npm, aws and dig commands: nothing the test cannot check is presented as a command.
  for (const command of all) expect(command).toMatch(/^(npm run restore -- |aws |dig )/);
  expect(restore.length).toBeGreaterThanOrEqual(5);
  expect(aws.length).toBeGreaterThanOrEqual(10);
});

test.each(restore)('parses with the CLI: %s', async (command) => {
  const tasks: string[] = [];
  const program = buildProgram(fakeRuntime(), async (_task, cmd) => {
    tasks.push(cmd.name());
  });
  await program.parseAsync(words(command.slice('npm run restore -- '.length)), { from: 'user' });
  expect(tasks).toHaveLength(1);
  expect(['failover', 'failback-files']).toContain(tasks[0]);
});

test('the way back brings the files back with the CLI: a dry run first, then --apply', () => {
  const failback = restore.filter((c) => c.startsWith('npm run restore -- failback-files '));
  const dryRun = failback.findIndex((c) => !c.includes('--apply'));
  const apply = failback.findIndex((c) => c.includes('--apply'));
  expect(dryRun).toBeGreaterThanOrEqual(0);
  expect(apply).toBeGreaterThan(dryRun);
  expect(failback[apply]).toContain('--state-file');
});

/**
 * Services the runbook may use: an installed SDK client (its operations are checked against the
 * client's commands), or, for services without one here, the CLI operations the runbook may use
 * (written from the AWS CLI reference; a typo in the runbook fails against this list).
 */
const CLIENTS: Record<string, string | readonly string[]> = {
  rds: '@aws-sdk/client-rds',
  'cognito-idp': '@aws-sdk/client-cognito-identity-provider',
  cloudwatch: '@aws-sdk/client-cloudwatch',
  backup: '@aws-sdk/client-backup',
  sqs: '@aws-sdk/client-sqs',
  s3api: '@aws-sdk/client-s3',
  route53: [
    'list-health-checks',
    'list-tags-for-resources',
    'update-health-check',
    'get-health-check-status',
  ],
  elbv2: ['describe-load-balancers'],
  apigatewayv2: ['get-domain-name'],
  ecs: ['describe-services'],
  'application-autoscaling': ['describe-scalable-targets'],
};
/** Route 53 is global: its commands take no region. */
const GLOBAL = new Set(['route53']);

test.each(aws)('is a well-formed AWS CLI command: %s', (command) => {
  const [, service, operation, ...rest] = words(command);
  expect(Object.keys(CLIENTS)).toContain(service);
  expect(operation).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  const client = CLIENTS[service];
  if (typeof client !== 'string') {
    expect(client).toContain(operation);
  } else {
    const exported = Object.keys(require(client) as object); // eslint-disable-line @typescript-eslint/no-require-imports
    const pascal = operation
      .split('-')
      .map((w) => (w === 'csv' ? 'CSV' : w[0].toUpperCase() + w.slice(1)))
      .join('');
    expect(exported).toContain(`${pascal}Command`);
  }
  const options = rest.filter((w) => w.startsWith('--'));
  for (const option of options) expect(option).toMatch(/^--[a-z0-9]+(-[a-z0-9]+)*$/);
  expect(options.includes('--region')).toBe(!GLOBAL.has(service));
  // Every option but the boolean ones has a value.
  const booleans = new Set(['--inverted', '--no-inverted']);
  for (const [i, word] of rest.entries()) {
    if (word.startsWith('--') && !booleans.has(word)) {
      expect({ option: word, value: rest[i + 1] }).toEqual({
        option: word,
        value: expect.stringMatching(/^[^-]/),
      });
    }
  }
});

test("the failover command's report names runbook sections that exist and commands that parse", async () => {
  const config = loadConfig();
  const anchors = runbookAnchors(FILE)!;
  const target = resolveTarget(config, 'prod', 'ap-southeast-4', '--to');
  for (const mode of ['switchover', 'failover'] as const) {
    const report = failoverReport(target, mode, 'ap-southeast-2');
    const lines = [...report.moved, ...report.remaining];
    for (const [, anchor] of lines.join('\n').matchAll(/regional-failover\.md#([\w-]+)/g)) {
      expect([...anchors]).toContain(anchor);
    }
    const back = /npm run restore -- ([^,]+?)(,|$)/.exec(report.remaining.join('\n'))![1];
    const tasks: string[] = [];
    await buildProgram(fakeRuntime(), async (_t, cmd) => {
      tasks.push(cmd.name());
    }).parseAsync(words(back), { from: 'user' });
    expect(tasks).toEqual(['failover']);
    expect(back).toContain('--to ap-southeast-2');
  }
});

test('after a failover to the secondary the report names failback-files, a command that parses; after one to the primary, not', async () => {
  const config = loadConfig();
  const toSecondary = failoverReport(
    resolveTarget(config, 'prod', 'ap-southeast-4', '--to'),
    'failover',
    'ap-southeast-2',
  ).remaining.join('\n');
  const command = /npm run restore -- (failback-files [^(]+?) \(/.exec(toSecondary)?.[1];
  expect(command).toBe('failback-files --env prod --buckets files --since <failover-time>');
  const tasks: string[] = [];
  await buildProgram(fakeRuntime(), async (_t, cmd) => {
    tasks.push(cmd.name());
  }).parseAsync(words(command!.replace('<failover-time>', '2026-12-01T00:00:00Z')), {
    from: 'user',
  });
  expect(tasks).toEqual(['failback-files']);
  const toPrimary = failoverReport(
    resolveTarget(config, 'prod', 'ap-southeast-2', '--to'),
    'switchover',
    'ap-southeast-4',
  ).remaining.join('\n');
  expect(toPrimary).not.toContain('failback-files');
});

test('the report tells DNS apart: automatic with a hosted zone, by hand without', () => {
  const config = loadConfig();
  const target = resolveTarget(config, 'prod', 'ap-southeast-4', '--to');
  const without = failoverReport(target, 'switchover', 'ap-southeast-2').remaining[0];
  expect(without).toMatch(/no hosted zone in the config: in your DNS, repoint app\.logistics/);
  const zoned = {
    ...target,
    env: {
      ...target.env,
      monitoring: {
        hostedZone: { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' },
      },
    },
  };
  expect(failoverReport(zoned, 'switchover', 'ap-southeast-2').remaining[0]).toMatch(
    /invert the health checks named logi-prod-ap-southeast-2-ingress-app-health/,
  );
  expect(failoverReport(zoned, 'failover', 'ap-southeast-2').remaining[0]).toMatch(
    /Route 53 answers .* with ap-southeast-4 once the health checks of ap-southeast-2 fail/,
  );
});
