import type { PlatformConfig } from './schema';

/**
 * The embedded default: what `npx cdk synth` builds with no `-c config=...`.
 * Account ids are placeholders; replace them in your own config file
 * (see `config/platform.example.json`).
 */
export const DEFAULT_CONFIG: PlatformConfig = {
  app: 'logi',
  owner: 'platform-team',
  dataClassification: 'confidential',
  allowedRegions: ['ap-southeast-2', 'ap-southeast-4'],
  auroraEngineVersions: {
    '15.10': { globalDatabase: true },
    '16.6': { globalDatabase: true },
    '17.4': { globalDatabase: true },
  },
  compliance: {
    awsSolutions: true,
    nist80053r5: true,
    hipaa: false,
    pciDss321: false,
    controlTower: true,
    policy: {
      minimumLogRetentionDays: 365,
      minimumBackupRetentionDays: 7,
      minimumKeyDeletionWindowDays: 30,
    },
  },
  retention: {
    closureGraceDays: 90,
    archiveRetentionDays: 365,
    ledgerMarginDays: 35,
  },
  environments: {
    dev: {
      account: '111111111111',
      production: false,
      primaryRegion: 'ap-southeast-2',
      regions: {
        'ap-southeast-2': { vpcCidr: '10.10.0.0/16' },
      },
      natGateways: 'single',
      logRetentionDays: 365,
      tenantLogRetentionDays: 30,
      flowLogRetentionDays: 365,
      backup: {
        dailyRetentionDays: 7,
        monthlyRetentionDays: 90,
        continuousRetentionDays: 7,
        vaultLockMinRetentionDays: 7,
        vaultLockMaxRetentionDays: 90,
        breakGlassRoleName: 'platform-break-glass',
        breakGlassPrincipals: ['arn:aws:iam::111111111111:user/break-glass-officer'],
        breakGlassMaxSessionHours: 1,
        restoreTestingSchedule: 'cron(0 3 ? * SUN *)',
      },
      database: {
        engineVersion: '16.6',
        instanceClass: 't4g.medium',
        readers: 1,
        backupRetentionDays: 7,
        globalDatabase: false,
        replicationLagAlarmSeconds: 30,
      },
      storage: {
        objectLockMode: 'GOVERNANCE',
        objectLockDays: 7,
        noncurrentTransitionDays: 30,
        noncurrentExpirationDays: 60,
        replicationTimeControl: false,
      },
      ingress: {
        domainName: 'app.dev.logistics.example.com',
        apiDomainName: 'api.dev.logistics.example.com',
        certificateArns: {
          'ap-southeast-2':
            'arn:aws:acm:ap-southeast-2:111111111111:certificate/00000000-0000-0000-0000-000000000000',
        },
        rateLimitPer5Minutes: 2000,
        callbackUrls: ['https://app.dev.logistics.example.com/oauth/callback'],
      },
      compute: { desiredCount: 1, maxCount: 3, cpu: 256, memoryMiB: 512 },
      // PLACEHOLDER: replace with the real on-call address(es) before deploying (README, Alerts).
      alerts: {
        subscriptions: [
          {
            protocol: 'email',
            endpoint: 'oncall-dev@example.com',
            severities: ['security', 'operational'],
          },
        ],
      },
    },
    test: {
      account: '222222222222',
      production: false,
      primaryRegion: 'ap-southeast-2',
      secondaryRegion: 'ap-southeast-4',
      regions: {
        'ap-southeast-2': { vpcCidr: '10.20.0.0/16' },
        'ap-southeast-4': { vpcCidr: '10.21.0.0/16' },
      },
      natGateways: 'single',
      logRetentionDays: 365,
      tenantLogRetentionDays: 30,
      flowLogRetentionDays: 365,
      backup: {
        dailyRetentionDays: 14,
        monthlyRetentionDays: 90,
        continuousRetentionDays: 14,
        vaultLockMinRetentionDays: 7,
        vaultLockMaxRetentionDays: 90,
        breakGlassRoleName: 'platform-break-glass',
        breakGlassPrincipals: ['arn:aws:iam::222222222222:user/break-glass-officer'],
        breakGlassMaxSessionHours: 1,
        restoreTestingSchedule: 'cron(0 3 ? * SUN *)',
      },
      database: {
        engineVersion: '16.6',
        instanceClass: 'r6g.large',
        readers: 1,
        backupRetentionDays: 14,
        globalDatabase: true,
        replicationLagAlarmSeconds: 30,
      },
      storage: {
        objectLockMode: 'GOVERNANCE',
        objectLockDays: 14,
        noncurrentTransitionDays: 30,
        noncurrentExpirationDays: 60,
        replicationTimeControl: true,
      },
      ingress: {
        domainName: 'app.test.logistics.example.com',
        apiDomainName: 'api.test.logistics.example.com',
        certificateArns: {
          'ap-southeast-2':
            'arn:aws:acm:ap-southeast-2:222222222222:certificate/00000000-0000-0000-0000-000000000000',
          'ap-southeast-4':
            'arn:aws:acm:ap-southeast-4:222222222222:certificate/00000000-0000-0000-0000-000000000000',
        },
        rateLimitPer5Minutes: 2000,
        callbackUrls: ['https://app.test.logistics.example.com/oauth/callback'],
      },
      compute: { desiredCount: 2, maxCount: 6, cpu: 256, memoryMiB: 512 },
      // PLACEHOLDER: replace with the real on-call address(es) before deploying (README, Alerts).
      alerts: {
        subscriptions: [
          {
            protocol: 'email',
            endpoint: 'oncall-test@example.com',
            severities: ['security', 'operational'],
          },
        ],
      },
    },
    prod: {
      account: '333333333333',
      production: true,
      primaryRegion: 'ap-southeast-2',
      secondaryRegion: 'ap-southeast-4',
      regions: {
        'ap-southeast-2': { vpcCidr: '10.30.0.0/16' },
        'ap-southeast-4': { vpcCidr: '10.31.0.0/16' },
      },
      natGateways: 'perAz',
      logRetentionDays: 365,
      tenantLogRetentionDays: 30,
      flowLogRetentionDays: 365,
      backup: {
        dailyRetentionDays: 35,
        monthlyRetentionDays: 365,
        continuousRetentionDays: 35,
        vaultLockMinRetentionDays: 35,
        vaultLockMaxRetentionDays: 365,
        vaultLockImmutableAfterDays: 3,
        breakGlassRoleName: 'platform-break-glass',
        breakGlassPrincipals: ['arn:aws:iam::333333333333:user/break-glass-officer'],
        breakGlassMaxSessionHours: 1,
        isolatedCopy: { kind: 'logically-air-gapped', minRetentionDays: 35, maxRetentionDays: 365 },
        restoreTestingSchedule: 'cron(0 3 ? * SUN *)',
      },
      database: {
        engineVersion: '16.6',
        instanceClass: 'r6g.large',
        readers: 1,
        backupRetentionDays: 35,
        globalDatabase: true,
        replicationLagAlarmSeconds: 30,
      },
      storage: {
        objectLockMode: 'COMPLIANCE',
        objectLockDays: 30,
        noncurrentTransitionDays: 30,
        noncurrentExpirationDays: 60,
        replicationTimeControl: true,
      },
      ingress: {
        domainName: 'app.logistics.example.com',
        apiDomainName: 'api.logistics.example.com',
        certificateArns: {
          'ap-southeast-2':
            'arn:aws:acm:ap-southeast-2:333333333333:certificate/00000000-0000-0000-0000-000000000000',
          'ap-southeast-4':
            'arn:aws:acm:ap-southeast-4:333333333333:certificate/00000000-0000-0000-0000-000000000000',
        },
        rateLimitPer5Minutes: 2000,
        callbackUrls: ['https://app.logistics.example.com/oauth/callback'],
      },
      compute: { desiredCount: 3, maxCount: 12, cpu: 256, memoryMiB: 512 },
      // PLACEHOLDER: replace with the real on-call address(es) before deploying (README, Alerts).
      alerts: {
        subscriptions: [
          {
            protocol: 'email',
            endpoint: 'oncall-prod@example.com',
            severities: ['security', 'operational'],
          },
        ],
      },
    },
  },
};
