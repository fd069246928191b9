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
    },
  },
};
