import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import type { PlatformConfig } from '../../lib/config';
import { DEFAULT_CONFIG, loadConfigFile } from '../../lib/config';
import { buildPlatform } from '../../lib/platform';
import { iso27001Pack } from '../../lib/validation/validators';
import { testApp } from '../support/app';

/** Build the dev environment with only the ISO 27001 pack, and synthesize it. */
function synthDev(config: PlatformConfig): void {
  const app = testApp({ outdir: mkdtempSync(join(tmpdir(), 'iso-policy-')) });
  buildPlatform(app, config, { validate: false, environments: ['dev'] });
  Validations.of(app).addPlugins(iso27001Pack(app, config));
  app.synth();
}

function withDevBackupDays(config: PlatformConfig, days: number): PlatformConfig {
  const dev = config.environments.dev;
  return {
    ...config,
    environments: {
      ...config.environments,
      dev: { ...dev, backup: { ...dev.backup, dailyRetentionDays: days } },
    },
  };
}

describe('the compliance policy of the config', () => {
  it('is what the pack checks, not the retention it audits: an environment below it fails synth', () => {
    const below = withDevBackupDays(
      DEFAULT_CONFIG,
      DEFAULT_CONFIG.compliance.policy.minimumBackupRetentionDays - 1,
    );
    expect(() => synthDev(below)).toThrow(/ISO\.27001\.2022-BackupPlanMinimumRetention/);
  });

  it('is refused below the pack floor when the config is loaded, naming the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'iso-policy-config-'));
    const path = join(dir, 'platform.json');
    const config = {
      ...DEFAULT_CONFIG,
      compliance: {
        ...DEFAULT_CONFIG.compliance,
        policy: { ...DEFAULT_CONFIG.compliance.policy, minimumLogRetentionDays: 30 },
      },
    };
    writeFileSync(path, JSON.stringify(config));
    expect(() => loadConfigFile(path)).toThrow(
      /compliance\.policy\.minimumLogRetentionDays[\s\S]*below the ISO 27001 pack's floor/,
    );
  });
});
