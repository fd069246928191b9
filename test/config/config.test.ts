import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConfigError,
  DEFAULT_CONFIG,
  environmentRegions,
  loadConfig,
  loadConfigFile,
  regionShort,
  ResourceNames,
} from '../../lib/config';

describe('the default config', () => {
  const config = loadConfig();

  test('describes dev, test and prod in separate accounts', () => {
    const accounts = Object.values(config.environments).map((e) => e.account);
    expect(Object.keys(config.environments)).toEqual(['dev', 'test', 'prod']);
    expect(new Set(accounts).size).toBe(3);
  });

  test('dev is single-region; test and prod add ap-southeast-4', () => {
    const regions = environmentRegions(config).map((t) => `${t.envName}:${t.region}:${t.role}`);
    expect(regions).toEqual([
      'dev:ap-southeast-2:primary',
      'test:ap-southeast-2:primary',
      'test:ap-southeast-4:secondary',
      'prod:ap-southeast-2:primary',
      'prod:ap-southeast-4:secondary',
    ]);
  });

  test('NAT gateways per AZ in prod, one in dev', () => {
    expect(config.environments.prod.natGateways).toBe('perAz');
    expect(config.environments.dev.natGateways).toBe('single');
  });

  test('names the closure promise and the backup retentions', () => {
    expect(config.retention).toEqual({
      closureGraceDays: 90,
      archiveRetentionDays: 365,
      ledgerMarginDays: 35,
    });
    expect(config.environments.prod.backup.dailyRetentionDays).toBeGreaterThanOrEqual(35);
  });
});

describe('config files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'config-'));

  test('the example file in the repository is valid and equals the default', () => {
    const example = loadConfigFile(join(__dirname, '..', '..', 'config', 'platform.example.json'));
    expect(example).toEqual(DEFAULT_CONFIG);
  });

  test('a missing file is a clear error', () => {
    expect(() => loadConfigFile(join(dir, 'absent.json'))).toThrow(/cannot read the file/);
  });

  test('invalid JSON is a clear error naming the file', () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{ "app": "logi", }');
    expect(() => loadConfigFile(path)).toThrow(ConfigError);
    expect(() => loadConfigFile(path)).toThrow(/broken\.json.*\n.*not valid JSON/);
  });
});

describe('names', () => {
  test('region short names', () => {
    expect(regionShort('ap-southeast-2')).toBe('apse2');
    expect(regionShort('ap-southeast-4')).toBe('apse4');
    expect(regionShort('eu-central-1')).toBe('euc1');
    expect(regionShort('us-east-1')).toBe('use1');
  });

  test('deterministic physical names', () => {
    const names = new ResourceNames('logi', 'prod', 'ap-southeast-2');
    expect(names.physical('files')).toBe('logi-prod-ap-southeast-2-files');
    expect(names.keyAlias('logs')).toBe('alias/logi-prod-ap-southeast-2-logs');
    expect(names.inRegion('ap-southeast-4').backupVault).toBe('logi-prod-ap-southeast-4-vault');
    expect(names.tenantTable).toBe('logi-prod-tenants');
  });
});
