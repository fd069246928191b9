import { ConfigError, DEFAULT_CONFIG, parseConfig } from '../../lib/config';

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function variant(change: (c: Raw) => void): Raw {
  const copy = structuredClone(DEFAULT_CONFIG) as Raw;
  change(copy);
  return copy;
}

function problemsOf(raw: unknown) {
  try {
    parseConfig(raw, 'test.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected the config to be rejected');
}

/** Each bad config, the path the problem must name, and words the message must contain. */
const BAD_CONFIGS: [string, (c: Raw) => void, string, RegExp][] = [
  [
    'account id too short',
    (c) => (c.environments.prod.account = '12345'),
    'environments.prod.account',
    /12-digit/,
  ],
  [
    'account id as a number',
    (c) => (c.environments.dev.account = 111111111111),
    'environments.dev.account',
    /12-digit/,
  ],
  ['unknown top-level key', (c) => (c.enviroments = {}), '', /enviroments/],
  [
    'break-glass principal that is a role (cannot carry MFA)',
    (c) =>
      (c.environments.prod.backup.breakGlassPrincipals = ['arn:aws:iam::333333333333:role/admin']),
    'environments.prod.backup.breakGlassPrincipals[0]',
    /ARN of an IAM user/,
  ],
  [
    'no break-glass principal',
    (c) => (c.environments.prod.backup.breakGlassPrincipals = []),
    'environments.prod.backup.breakGlassPrincipals',
    /at least one IAM user/,
  ],
  [
    'break-glass principal of another account',
    (c) =>
      (c.environments.prod.backup.breakGlassPrincipals = ['arn:aws:iam::111111111111:user/ops']),
    'environments.prod.backup.breakGlassPrincipals[0]',
    /not in the environment's account 333333333333/,
  ],
  [
    'production without an isolated copy',
    (c) => delete c.environments.prod.backup.isolatedCopy,
    'environments.prod.backup.isolatedCopy',
    /no administrator of its account can destroy/,
  ],
  [
    'isolated copy of an unknown kind',
    (c) => (c.environments.prod.backup.isolatedCopy = { kind: 'tape' }),
    'environments.prod.backup.isolatedCopy.kind',
    /logically-air-gapped/,
  ],
  [
    'air-gapped vault that would refuse the monthly copies',
    (c) => (c.environments.prod.backup.isolatedCopy.maxRetentionDays = 100),
    'environments.prod.backup.isolatedCopy',
    /monthlyRetentionDays is 365/,
  ],
  [
    'backup-account vault in the environment’s own account',
    (c) =>
      (c.environments.prod.backup.isolatedCopy = {
        kind: 'backup-account',
        vaultArn: 'arn:aws:backup:ap-southeast-2:333333333333:backup-vault:copies',
      }),
    'environments.prod.backup.isolatedCopy.vaultArn',
    /own account 333333333333/,
  ],
  [
    'break-glass session longer than IAM allows',
    (c) => (c.environments.prod.backup.breakGlassMaxSessionHours = 24),
    'environments.prod.backup.breakGlassMaxSessionHours',
    /cannot exceed 12/,
  ],
  [
    'unknown environment key (typo)',
    (c) => (c.environments.dev.natGateway = 'single'),
    'environments.dev',
    /natGateway/,
  ],
  [
    'missing primary region',
    (c) => delete c.environments.test.primaryRegion,
    'environments.test.primaryRegion',
    /region/,
  ],
  [
    'malformed region code',
    (c) => (c.environments.dev.primaryRegion = 'sydney'),
    'environments.dev.primaryRegion',
    /not an AWS region code/,
  ],
  [
    'invalid CIDR',
    (c) => (c.environments.dev.regions['ap-southeast-2'].vpcCidr = '10.10.0.0/8'),
    'environments.dev.regions.ap-southeast-2.vpcCidr',
    /\/16 and \/22/,
  ],
  [
    'CIDR with host bits set',
    (c) => (c.environments.dev.regions['ap-southeast-2'].vpcCidr = '10.10.1.0/16'),
    'environments.dev.regions.ap-southeast-2.vpcCidr',
    /host bits/,
  ],
  [
    'overlapping CIDRs across environments',
    (c) => (c.environments.test.regions['ap-southeast-2'].vpcCidr = '10.10.0.0/16'),
    'environments.test.regions.ap-southeast-2.vpcCidr',
    /overlaps 10\.10\.0\.0\/16/,
  ],
  [
    'overlapping CIDRs across regions',
    (c) => (c.environments.prod.regions['ap-southeast-4'].vpcCidr = '10.30.128.0/17'),
    'environments.prod.regions.ap-southeast-4.vpcCidr',
    /overlaps/,
  ],
  [
    'prod shares an account with dev',
    (c) => (c.environments.prod.account = '111111111111'),
    'environments.prod.account',
    /production and non-production share/,
  ],
  [
    'two non-prod environments share an account',
    (c) => (c.environments.test.account = '111111111111'),
    'environments.test.account',
    /each environment needs its own account/,
  ],
  [
    'secondary equals primary',
    (c) => (c.environments.prod.secondaryRegion = 'ap-southeast-2'),
    'environments.prod.secondaryRegion',
    /equals the primary/,
  ],
  [
    'region outside allowedRegions',
    (c) => {
      c.environments.test.secondaryRegion = 'us-east-1';
      c.environments.test.regions['us-east-1'] = { vpcCidr: '10.50.0.0/16' };
      delete c.environments.test.regions['ap-southeast-4'];
    },
    'environments.test.secondaryRegion',
    /not in allowedRegions/,
  ],
  [
    'no network for the secondary region',
    (c) => delete c.environments.prod.regions['ap-southeast-4'],
    'environments.prod.regions',
    /no network is configured for region "ap-southeast-4"/,
  ],
  [
    'network for a region the environment does not use',
    (c) => (c.environments.dev.regions['ap-southeast-4'] = { vpcCidr: '10.11.0.0/16' }),
    'environments.dev.regions.ap-southeast-4',
    /neither the primary nor the secondary/,
  ],
  [
    'negative grace period',
    (c) => (c.retention.closureGraceDays = -5),
    'retention.closureGraceDays',
    /at least 1 day/,
  ],
  [
    'fractional archive retention',
    (c) => (c.retention.archiveRetentionDays = 36.5),
    'retention.archiveRetentionDays',
    /whole number/,
  ],
  [
    'log retention CloudWatch does not accept',
    (c) => (c.environments.dev.logRetentionDays = 42),
    'environments.dev.logRetentionDays',
    /not a retention period CloudWatch Logs accepts/,
  ],
  [
    'monthly backups shorter than daily',
    (c) => (c.environments.test.backup.monthlyRetentionDays = 7),
    'environments.test.backup.monthlyRetentionDays',
    /expire before daily/,
  ],
  [
    'monthly backups outlive the closure promise',
    (c) => (c.environments.prod.backup.monthlyRetentionDays = 730),
    'environments.prod.backup.monthlyRetentionDays',
    /past the promised deletion/,
  ],
  [
    'continuous backup beyond the AWS limit',
    (c) => (c.environments.prod.backup.continuousRetentionDays = 36),
    'environments.prod.backup.continuousRetentionDays',
    /35 days/,
  ],
  [
    'production daily backups under 35 days',
    (c) => {
      c.environments.prod.backup.dailyRetentionDays = 14;
      c.environments.prod.backup.continuousRetentionDays = 14;
    },
    'environments.prod.backup.dailyRetentionDays',
    /at least 35 days/,
  ],
  [
    'production flow logs under a year',
    (c) => (c.environments.prod.flowLogRetentionDays = 90),
    'environments.prod.flowLogRetentionDays',
    /at least 365/,
  ],
  [
    'logs with tenant ids outlive the closure promise',
    (c) => (c.environments.dev.tenantLogRetentionDays = 365),
    'environments.dev.tenantLogRetentionDays',
    /past the promise/,
  ],
  [
    'NAT gateway mode misspelt',
    (c) => (c.environments.prod.natGateways = 'per-az'),
    'environments.prod.natGateways',
    /"perAz" or "single"/,
  ],
  ['app name with capitals', (c) => (c.app = 'Logistics'), 'app', /lowercase/],
  ['no environments', (c) => (c.environments = {}), 'environments', /at least one environment/],
  [
    'production with fewer tasks than AZs',
    (c) => (c.environments.prod.compute.desiredCount = 2),
    'environments.prod.compute.desiredCount',
    /one task in each of the three AZs/,
  ],
  [
    'autoscaling maximum below the desired count',
    (c) => (c.environments.test.compute.maxCount = 1),
    'environments.test.compute.maxCount',
    /below desiredCount/,
  ],
  [
    'production without any alert subscriber',
    (c) => (c.environments.prod.alerts.subscriptions = []),
    'environments.prod.alerts.subscriptions',
    /production has no subscriber for security alerts/,
  ],
  [
    'production with no one for operational alerts',
    (c) => (c.environments.prod.alerts.subscriptions[0].severities = ['security']),
    'environments.prod.alerts.subscriptions',
    /production has no subscriber for operational alerts/,
  ],
  [
    'an environment without an alerts section',
    (c) => delete c.environments.dev.alerts,
    'environments.dev.alerts',
    /expected object/i,
  ],
  [
    'an alert subscription that is not an e-mail address',
    (c) => (c.environments.test.alerts.subscriptions[0].endpoint = 'oncall at example'),
    'environments.test.alerts.subscriptions[0].endpoint',
    /e-mail address/,
  ],
  [
    'an http (not https) alert endpoint',
    (c) =>
      (c.environments.test.alerts.subscriptions = [
        { protocol: 'https', endpoint: 'http://hooks.example.com/x', severities: ['security'] },
      ]),
    'environments.test.alerts.subscriptions[0].endpoint',
    /https URL/,
  ],
  [
    'an alert protocol SNS does not deliver here',
    (c) => (c.environments.test.alerts.subscriptions[0].protocol = 'sms'),
    'environments.test.alerts.subscriptions[0].protocol',
    /"email" or "https"/,
  ],
  [
    'an alert subscription with no severity',
    (c) => (c.environments.dev.alerts.subscriptions[0].severities = []),
    'environments.dev.alerts.subscriptions[0].severities',
    /at least one severity/,
  ],
  [
    'the same endpoint subscribed twice',
    (c) =>
      c.environments.dev.alerts.subscriptions.push({
        protocol: 'email',
        endpoint: 'ONCALL-dev@example.com',
        severities: ['security'],
      }),
    'environments.dev.alerts.subscriptions[1].endpoint',
    /subscribed twice/,
  ],
  [
    'not a Fargate CPU size',
    (c) => (c.environments.dev.compute.cpu = 300),
    'environments.dev.compute.cpu',
    /not a Fargate CPU size/,
  ],
  [
    'memory outside what the CPU size allows',
    (c) => (c.environments.dev.compute.memoryMiB = 4096),
    'environments.dev.compute.memoryMiB',
    /not a Fargate memory size for 256 CPU units/,
  ],
  [
    'Object Lock longer than the grace period',
    (c) => (c.environments.prod.storage.objectLockDays = 120),
    'environments.prod.storage.objectLockDays',
    /longer than the closure grace period/,
  ],
  [
    'engine version without global database support',
    (c) => (c.auroraEngineVersions['16.6'].globalDatabase = false),
    'environments.prod.database.engineVersion',
    /no Aurora global database support/,
  ],
  [
    'engine version not listed',
    (c) => (c.environments.test.database.engineVersion = '12.4'),
    'environments.test.database.engineVersion',
    /not in auroraEngineVersions/,
  ],
  [
    'global database for a single-region environment',
    (c) => (c.environments.dev.database.globalDatabase = true),
    'environments.dev.database.globalDatabase',
    /single-region environment/,
  ],
  [
    'replication lag threshold of zero',
    (c) => (c.environments.prod.database.replicationLagAlarmSeconds = 0),
    'environments.prod.database.replicationLagAlarmSeconds',
    /more than 0 seconds/,
  ],
  [
    'database backups under 7 days',
    (c) => (c.environments.dev.database.backupRetentionDays = 3),
    'environments.dev.database.backupRetentionDays',
    /at least 7 days/,
  ],
  [
    'production files in governance mode',
    (c) => (c.environments.prod.storage.objectLockMode = 'GOVERNANCE'),
    'environments.prod.storage.objectLockMode',
    /COMPLIANCE/,
  ],
];

describe('bad configs are rejected with the path, the problem and a fix', () => {
  test.each(BAD_CONFIGS)('%s', (_name, change, path, message) => {
    const problems = problemsOf(variant(change));
    const match = problems.find((p) => p.path === path && message.test(p.message));
    expect(match).toBeDefined();
    expect(match?.fix.length).toBeGreaterThan(10);
  });

  test('there are at least 15 distinct bad configs', () => {
    expect(new Set(BAD_CONFIGS.map(([name]) => name)).size).toBeGreaterThanOrEqual(15);
  });
});

describe('every problem is reported at once', () => {
  test('schema problems in several places are all listed', () => {
    const problems = problemsOf(
      variant((c) => {
        c.environments.prod.account = 'abc';
        c.environments.dev.natGateways = 'many';
        c.retention.closureGraceDays = 0;
      }),
    );
    expect(problems.map((p) => p.path).sort()).toEqual([
      'environments.dev.natGateways',
      'environments.prod.account',
      'retention.closureGraceDays',
    ]);
  });

  test('invariant problems are all listed', () => {
    const problems = problemsOf(
      variant((c) => {
        c.environments.test.account = '333333333333';
        c.environments.prod.secondaryRegion = 'ap-southeast-2';
        c.environments.dev.regions['ap-southeast-2'].vpcCidr = '10.20.0.0/16';
      }),
    );
    expect(problems.map((p) => p.path)).toEqual(
      expect.arrayContaining([
        'environments.prod.account',
        'environments.prod.secondaryRegion',
        'environments.test.regions.ap-southeast-2.vpcCidr',
      ]),
    );
  });

  test('the message names the source, counts the problems and gives each fix', () => {
    try {
      parseConfig(
        variant((c) => (c.environments.prod.account = '1')),
        'my-platform.json',
      );
      throw new Error('expected a ConfigError');
    } catch (error) {
      const text = (error as Error).message;
      expect(text).toContain('my-platform.json');
      expect(text).toContain('has 1 problem; nothing was synthesized');
      expect(text).toMatch(
        /environments\.prod\.account: "1" is not a 12-digit AWS account id\n\s+fix: /,
      );
    }
  });
});
