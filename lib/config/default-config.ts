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
      flowLogRetentionDays: 365,
      backup: { dailyRetentionDays: 7, monthlyRetentionDays: 90, continuousRetentionDays: 7 },
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
      flowLogRetentionDays: 365,
      backup: { dailyRetentionDays: 14, monthlyRetentionDays: 90, continuousRetentionDays: 14 },
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
      flowLogRetentionDays: 365,
      backup: { dailyRetentionDays: 35, monthlyRetentionDays: 365, continuousRetentionDays: 35 },
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
    },
  },
};
