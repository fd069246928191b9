import { checkAlerts } from './alerts-invariants';
import type { ConfigProblem } from './problems';
import { checkRetentionLedger } from './retention-ledger';
import type { PlatformConfig } from './schema';
import { FARGATE_MEMORY_MIB } from './schema';

/**
 * Rules across fields that a schema cannot express. Each check returns every problem it finds,
 * so a user sees all of them at once.
 */
export function checkInvariants(config: PlatformConfig): ConfigProblem[] {
  return [
    ...checkRegions(config),
    ...checkCidrs(config),
    ...checkAccounts(config),
    ...checkRetention(config),
    ...checkData(config),
    ...checkBackupAndIngress(config),
    ...checkCompute(config),
    ...checkAlerts(config),
    ...checkRetentionLedger(config),
  ];
}

function checkRegions(config: PlatformConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const allowed = new Set(config.allowedRegions);
  const notAllowed = (path: string, region: string) =>
    problems.push({
      path,
      message: `region "${region}" is not in allowedRegions (${config.allowedRegions.join(', ')}); data may not reside there`,
      fix: `use one of allowedRegions, or add "${region}" to allowedRegions if data residency permits`,
    });

  for (const [name, env] of Object.entries(config.environments)) {
    const base = `environments.${name}`;
    if (!allowed.has(env.primaryRegion)) notAllowed(`${base}.primaryRegion`, env.primaryRegion);
    if (env.secondaryRegion !== undefined) {
      if (env.secondaryRegion === env.primaryRegion) {
        problems.push({
          path: `${base}.secondaryRegion`,
          message: `the secondary region equals the primary region (${env.primaryRegion}); replicas and backup copies would share its fate`,
          fix: 'choose a different region for secondaryRegion, or remove it for a single-region environment',
        });
      } else if (!allowed.has(env.secondaryRegion)) {
        notAllowed(`${base}.secondaryRegion`, env.secondaryRegion);
      }
    }
    const used = [env.primaryRegion, env.secondaryRegion].filter((r): r is string => !!r);
    for (const region of used) {
      if (!env.regions[region]) {
        problems.push({
          path: `${base}.regions`,
          message: `no network is configured for region "${region}"`,
          fix: `add "${region}": { "vpcCidr": "10.x.0.0/16" } under ${base}.regions`,
        });
      }
    }
    for (const region of Object.keys(env.regions)) {
      if (!used.includes(region)) {
        problems.push({
          path: `${base}.regions.${region}`,
          message: `region "${region}" is neither the primary nor the secondary region of ${name}`,
          fix: `remove it, or make it ${name}'s primaryRegion or secondaryRegion`,
        });
      }
    }
  }
  return problems;
}

interface CidrUse {
  readonly path: string;
  readonly cidr: string;
  readonly start: number;
  readonly end: number;
}

function parseCidr(cidr: string): { start: number; end: number } {
  const [address, prefix] = cidr.split('/');
  const start = address.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  return { start, end: start + 2 ** (32 - Number(prefix)) - 1 };
}

function checkCidrs(config: PlatformConfig): ConfigProblem[] {
  const uses: CidrUse[] = [];
  for (const [name, env] of Object.entries(config.environments)) {
    for (const [region, network] of Object.entries(env.regions)) {
      const path = `environments.${name}.regions.${region}.vpcCidr`;
      uses.push({ path, cidr: network.vpcCidr, ...parseCidr(network.vpcCidr) });
    }
  }
  const problems: ConfigProblem[] = [];
  for (let i = 0; i < uses.length; i++) {
    for (let j = i + 1; j < uses.length; j++) {
      const [a, b] = [uses[i], uses[j]];
      if (a.start <= b.end && b.start <= a.end) {
        problems.push({
          path: b.path,
          message: `${b.cidr} overlaps ${a.cidr} at ${a.path}; networks must never overlap, across environments and regions`,
          fix: 'give each environment and region its own range, e.g. 10.10.0.0/16, 10.20.0.0/16, 10.21.0.0/16',
        });
      }
    }
  }
  return problems;
}

function checkAccounts(config: PlatformConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const entries = Object.entries(config.environments);
  for (let i = 0; i < entries.length; i++) {
    for (let j = i + 1; j < entries.length; j++) {
      const [[nameA, a], [nameB, b]] = [entries[i], entries[j]];
      if (a.account !== b.account) continue;
      const mixed = a.production !== b.production;
      problems.push({
        path: `environments.${nameB}.account`,
        message: mixed
          ? `production and non-production share account ${a.account} (${nameA} and ${nameB}); prod must be separated from dev and test`
          : `${nameA} and ${nameB} share account ${a.account}; each environment needs its own account`,
        fix: `give ${nameB} its own AWS account id`,
      });
    }
  }
  return problems;
}

function checkRetention(config: PlatformConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const { archiveRetentionDays, ledgerMarginDays } = config.retention;
  if (ledgerMarginDays > archiveRetentionDays) {
    problems.push({
      path: 'retention.ledgerMarginDays',
      message: `the margin (${ledgerMarginDays} days) is longer than the archive retention itself (${archiveRetentionDays} days)`,
      fix: 'keep the margin to a few weeks (35 days by default)',
    });
  }
  for (const [name, env] of Object.entries(config.environments)) {
    const base = `environments.${name}`;
    const { dailyRetentionDays, monthlyRetentionDays, continuousRetentionDays } = env.backup;
    if (monthlyRetentionDays < dailyRetentionDays) {
      problems.push({
        path: `${base}.backup.monthlyRetentionDays`,
        message: `monthly backups (${monthlyRetentionDays} days) would expire before daily ones (${dailyRetentionDays} days)`,
        fix: 'keep monthly recovery points at least as long as daily ones',
      });
    }
    if (continuousRetentionDays > dailyRetentionDays) {
      problems.push({
        path: `${base}.backup.continuousRetentionDays`,
        message: `the point-in-time window (${continuousRetentionDays} days) is longer than daily backups are kept (${dailyRetentionDays} days)`,
        fix: 'keep continuousRetentionDays at or below dailyRetentionDays',
      });
    }
    const backupLimit = archiveRetentionDays + ledgerMarginDays;
    if (monthlyRetentionDays > backupLimit) {
      problems.push({
        path: `${base}.backup.monthlyRetentionDays`,
        message: `monthly backups kept ${monthlyRetentionDays} days would hold a closed tenant's data past the promised deletion (archive ${archiveRetentionDays} + margin ${ledgerMarginDays} days after archiving)`,
        fix: `use at most ${backupLimit} days`,
      });
    }
    if (env.production && dailyRetentionDays < 35) {
      problems.push({
        path: `${base}.backup.dailyRetentionDays`,
        message: `production keeps daily backups at least 35 days, not ${dailyRetentionDays}`,
        fix: 'set dailyRetentionDays to 35 or more',
      });
    }
    if (env.production && env.flowLogRetentionDays < 365) {
      problems.push({
        path: `${base}.flowLogRetentionDays`,
        message: `production keeps flow logs at least 365 days, not ${env.flowLogRetentionDays}`,
        fix: 'set flowLogRetentionDays to 365 or more',
      });
    }
  }
  return problems;
}

function checkData(config: PlatformConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const versions = config.auroraEngineVersions;
  for (const [name, env] of Object.entries(config.environments)) {
    const base = `environments.${name}`;
    const { database, storage } = env;
    const version = versions[database.engineVersion];
    if (!version) {
      problems.push({
        path: `${base}.database.engineVersion`,
        message: `engine version ${database.engineVersion} is not in auroraEngineVersions (${Object.keys(versions).join(', ')})`,
        fix: 'use a listed version, or add it to auroraEngineVersions after checking AWS supports it',
      });
    } else if (database.globalDatabase && !version.globalDatabase) {
      problems.push({
        path: `${base}.database.engineVersion`,
        message: `engine version ${database.engineVersion} has no Aurora global database support (auroraEngineVersions)`,
        fix: `use a version marked globalDatabase: true, e.g. ${Object.entries(versions).find(([, v]) => v.globalDatabase)?.[0] ?? '16.6'}`,
      });
    }
    if (database.globalDatabase && !env.secondaryRegion) {
      problems.push({
        path: `${base}.database.globalDatabase`,
        message: `${name} is a single-region environment: its database cannot have a secondary region`,
        fix: `set globalDatabase to false, or give ${name} a secondaryRegion`,
      });
    }
    if (storage.objectLockDays > config.retention.closureGraceDays) {
      problems.push({
        path: `${base}.storage.objectLockDays`,
        message: `files stay locked ${storage.objectLockDays} days, longer than the closure grace period (${config.retention.closureGraceDays} days): a closed tenant's files could not be deleted at archive time`,
        fix: `use at most ${config.retention.closureGraceDays} days`,
      });
    }
    if (storage.noncurrentExpirationDays <= storage.noncurrentTransitionDays) {
      problems.push({
        path: `${base}.storage.noncurrentExpirationDays`,
        message: `noncurrent versions would expire (${storage.noncurrentExpirationDays} days) before or when they move to Standard-IA (${storage.noncurrentTransitionDays} days)`,
        fix: 'expire noncurrent versions after they transition',
      });
    }
    if (env.production && storage.objectLockMode !== 'COMPLIANCE') {
      problems.push({
        path: `${base}.storage.objectLockMode`,
        message:
          'production files must be locked in COMPLIANCE mode, which nobody can shorten or remove',
        fix: 'set objectLockMode to "COMPLIANCE"',
      });
    }
  }
  return problems;
}

function checkBackupAndIngress(config: PlatformConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const [name, env] of Object.entries(config.environments)) {
    const base = `environments.${name}`;
    const b = env.backup;
    b.breakGlassPrincipals.forEach((arn, i) => {
      if (arn.split(':')[4] !== env.account) {
        problems.push({
          path: `${base}.backup.breakGlassPrincipals[${i}]`,
          message: `${arn} is not in the environment's account ${env.account}: the break-glass role trusts only users of its own account`,
          fix: `name an IAM user of account ${env.account}, arn:aws:iam::${env.account}:user/<name>`,
        });
      }
    });
    const isolated = b.isolatedCopy;
    if (env.production && !isolated) {
      problems.push({
        path: `${base}.backup.isolatedCopy`,
        message:
          'production needs a copy of its recovery points that no administrator of its account can destroy',
        fix: 'add "isolatedCopy": { "kind": "logically-air-gapped", "minRetentionDays": 35, "maxRetentionDays": 365 } (or kind "backup-account" with the vaultArn of a vault in a separate account)',
      });
    }
    if (isolated?.kind === 'logically-air-gapped') {
      const within = (days: number) =>
        days >= isolated.minRetentionDays && days <= isolated.maxRetentionDays;
      for (const [field, days] of [
        ['dailyRetentionDays', b.dailyRetentionDays],
        ['monthlyRetentionDays', b.monthlyRetentionDays],
      ] as const) {
        if (!within(days)) {
          problems.push({
            path: `${base}.backup.isolatedCopy`,
            message: `the air-gapped vault keeps copies ${isolated.minRetentionDays} to ${isolated.maxRetentionDays} days, but ${field} is ${days}: AWS Backup would refuse the copy`,
            fix: `make minRetentionDays at most ${days} and maxRetentionDays at least ${days}`,
          });
        }
      }
    }
    if (isolated?.kind === 'backup-account' && isolated.vaultArn.split(':')[4] === env.account) {
      problems.push({
        path: `${base}.backup.isolatedCopy.vaultArn`,
        message: `${isolated.vaultArn} is in the environment's own account ${env.account}: its administrators could destroy it`,
        fix: 'name a vault in a separate backup account, or use kind "logically-air-gapped"',
      });
    }
    const shortest = Math.min(b.dailyRetentionDays, b.continuousRetentionDays);
    if (b.vaultLockMinRetentionDays > shortest) {
      problems.push({
        path: `${base}.backup.vaultLockMinRetentionDays`,
        message: `the vault lock minimum (${b.vaultLockMinRetentionDays} days) is longer than the shortest backup retention (${shortest} days): AWS Backup would reject those recovery points`,
        fix: `use at most ${shortest} days`,
      });
    }
    if (b.vaultLockMaxRetentionDays < b.monthlyRetentionDays) {
      problems.push({
        path: `${base}.backup.vaultLockMaxRetentionDays`,
        message: `the vault lock maximum (${b.vaultLockMaxRetentionDays} days) is shorter than monthly backups are kept (${b.monthlyRetentionDays} days)`,
        fix: `use at least ${b.monthlyRetentionDays} days`,
      });
    }
    if (b.vaultLockMinRetentionDays > b.vaultLockMaxRetentionDays) {
      problems.push({
        path: `${base}.backup.vaultLockMinRetentionDays`,
        message: 'the vault lock minimum is above its maximum',
        fix: 'keep vaultLockMinRetentionDays at or below vaultLockMaxRetentionDays',
      });
    }
    if (env.production && b.vaultLockImmutableAfterDays === undefined) {
      problems.push({
        path: `${base}.backup.vaultLockImmutableAfterDays`,
        message: 'a production vault lock must become immutable (compliance mode)',
        fix: 'set vaultLockImmutableAfterDays, e.g. 3 (the cooling-off period)',
      });
    }
    const regions = [env.primaryRegion, env.secondaryRegion].filter((r): r is string => !!r);
    for (const region of regions) {
      const arn = env.ingress.certificateArns[region];
      const path = `${base}.ingress.certificateArns.${region}`;
      if (!arn) {
        problems.push({
          path: `${base}.ingress.certificateArns`,
          message: `no certificate for region ${region}`,
          fix: `add "${region}": "<ACM certificate ARN in ${region}>"`,
        });
      } else if (!arn.includes(`:acm:${region}:${env.account}:`)) {
        problems.push({
          path,
          message: `the certificate must be in ${region} and in ${name}'s account ${env.account}`,
          fix: `use an ACM certificate issued in ${region} of account ${env.account}`,
        });
      }
    }
  }
  return problems;
}

function checkCompute(config: PlatformConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const [name, env] of Object.entries(config.environments)) {
    const base = `environments.${name}.compute`;
    const { desiredCount, maxCount, cpu, memoryMiB } = env.compute;
    if (env.production && desiredCount < 3) {
      problems.push({
        path: `${base}.desiredCount`,
        message: `production runs at least one task in each of the three AZs, not ${desiredCount} tasks`,
        fix: 'set desiredCount to 3 or more',
      });
    }
    if (maxCount < desiredCount) {
      problems.push({
        path: `${base}.maxCount`,
        message: `maxCount ${maxCount} is below desiredCount ${desiredCount}`,
        fix: `set maxCount to ${desiredCount} or more`,
      });
    }
    const range = FARGATE_MEMORY_MIB[cpu];
    const step = memoryMiB % 1024 === 0 || (cpu === 256 && memoryMiB === 512);
    if (range && (memoryMiB < range[0] || memoryMiB > range[1] || !step)) {
      problems.push({
        path: `${base}.memoryMiB`,
        message: `${memoryMiB} MiB is not a Fargate memory size for ${cpu} CPU units`,
        fix: `use a multiple of 1024 between ${range[0]} and ${range[1]} MiB (or 512 with 256 CPU units)`,
      });
    }
  }
  return problems;
}
