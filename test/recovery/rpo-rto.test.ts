import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CONFIG } from '../../lib/config';
import type { EnvironmentConfig } from '../../lib/config';
import { recoveryObjectives, recoveryObjectivesMarkdown } from '../../lib/recovery/rpo-rto';

const DOC = readFileSync(join(__dirname, '..', '..', 'docs', 'rpo-rto.md'), 'utf8');
const { dev, test, prod } = DEFAULT_CONFIG.environments;

/** Table rows of a Markdown text as trimmed cells (prettier's column padding ignored). */
function tableRows(markdown: string): string[][] {
  return markdown
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|\s*-/.test(line))
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
}

function section(envName: string): string {
  const start = DOC.indexOf(`## ${envName} (`);
  const next = DOC.indexOf('\n## ', start + 1);
  return DOC.slice(start, next === -1 ? undefined : next);
}

describe('recoveryObjectives', () => {
  it('prod: PITR window, daily and monthly retention come from the backup config', () => {
    const rows = recoveryObjectives(prod);
    const pitr = rows.find((r) => r.scenario.startsWith('Aurora: point-in-time'));
    expect(pitr).toEqual(
      expect.objectContaining({
        rpo: 'about 5 min',
        window: '35 days (backup.continuousRetentionDays)',
      }),
    );
    const daily = rows.find((r) => r.scenario.startsWith('Aurora: restore from a daily'));
    expect(daily?.window).toContain('35 days (backup.dailyRetentionDays)');
    expect(daily?.window).toContain('365 days (backup.monthlyRetentionDays)');
  });

  it('two regions with a global database: switchover RPO 0, failover RPO the replication lag', () => {
    const rows = recoveryObjectives(prod);
    expect(rows.find((r) => r.scenario.includes('switchover'))?.rpo).toBe('0');
    const failover = rows.find((r) => r.scenario.includes('unplanned failover'));
    expect(failover?.rpo).toContain('replication lag');
    expect(failover?.rpoRestsOn).toContain('30 s');
  });

  it('file replication: 15 min with Replication Time Control, no bound without it', () => {
    const files = (env: EnvironmentConfig) =>
      recoveryObjectives(env).find((r) => r.scenario.startsWith('Region: files'));
    expect(files(prod)?.rpo).toBe('15 min');
    const noRtc = { ...prod, storage: { ...prod.storage, replicationTimeControl: false } };
    expect(files(noRtc)?.rpo).toBe('minutes, no guaranteed bound');
  });

  it('a single-region environment promises nothing about regions', () => {
    expect(recoveryObjectives(dev).some((r) => r.scenario.startsWith('Region:'))).toBe(false);
    const noGlobal = { ...test, database: { ...test.database, globalDatabase: false } };
    expect(recoveryObjectives(noGlobal).some((r) => r.scenario.includes('failover'))).toBe(false);
  });
});

describe('docs/rpo-rto.md', () => {
  it.each(Object.keys(DEFAULT_CONFIG.environments))(
    'has the table generated from the default config for %s',
    (envName) => {
      const generated = recoveryObjectivesMarkdown(envName, DEFAULT_CONFIG.environments[envName]);
      expect(section(envName)).toContain(generated.split('\n')[0]);
      expect(tableRows(section(envName))).toEqual(tableRows(generated));
    },
  );
});
