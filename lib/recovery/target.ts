import type { EnvironmentConfig, PlatformConfig } from '../config';
import { ResourceNames } from '../config';
import { InputError } from './errors';

/** One environment in one region, resolved from the platform config, with its resources' names. */
export interface RecoveryTarget {
  readonly envName: string;
  readonly env: EnvironmentConfig;
  readonly region: string;
  readonly role: 'primary' | 'secondary';
  /** The environment's other region, if it has two. */
  readonly peerRegion?: string;
  readonly names: ResourceNames;
  readonly account: string;
  readonly partition: string;
}

/** `aws`, `aws-cn` or `aws-us-gov`, from the region code. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** The environment's regions, primary first. */
export function regionsOf(env: EnvironmentConfig): string[] {
  return env.secondaryRegion ? [env.primaryRegion, env.secondaryRegion] : [env.primaryRegion];
}

/** Validate `--env` against the config. */
export function resolveEnvironment(
  config: PlatformConfig,
  envName: string | undefined,
): [string, EnvironmentConfig] {
  const known = Object.keys(config.environments);
  if (!envName) {
    throw new InputError('--env', 'is required', `pass one of: ${known.join(', ')}`);
  }
  const env = config.environments[envName];
  if (!env) {
    throw new InputError(
      '--env',
      `"${envName}" is not an environment of the platform config`,
      `use one of: ${known.join(', ')} (or pass --config with the file that defines "${envName}")`,
    );
  }
  return [envName, env];
}

/** Validate `--env` and a region option (`--region`, `--to`) against the config. */
export function resolveTarget(
  config: PlatformConfig,
  envName: string | undefined,
  region: string | undefined,
  option = '--region',
): RecoveryTarget {
  const [name, env] = resolveEnvironment(config, envName);
  const regions = regionsOf(env);
  if (!region) {
    throw new InputError(
      option,
      'is required',
      `pass one of ${name}'s regions: ${regions.join(', ')}`,
    );
  }
  if (!regions.includes(region)) {
    throw new InputError(
      option,
      `"${region}" is not a region of environment "${name}"`,
      `use one of ${name}'s regions: ${regions.join(', ')}`,
    );
  }
  const role = region === env.primaryRegion ? 'primary' : 'secondary';
  return {
    envName: name,
    env,
    region,
    role,
    peerRegion: regions.find((r) => r !== region),
    names: new ResourceNames(config.app, name, region),
    account: env.account,
    partition: partitionOf(region),
  };
}

/** ARNs of the environment's resources in a region (default: the target's region). */
export function resourceArns(target: RecoveryTarget, region = target.region) {
  const names = target.names.inRegion(region);
  const { partition, account } = target;
  return {
    auroraCluster: `arn:${partition}:rds:${region}:${account}:cluster:${names.auroraCluster}`,
    filesBucket: `arn:${partition}:s3:::${names.filesBucket}`,
    tenantTable: `arn:${partition}:dynamodb:${region}:${account}:table/${names.tenantTable}`,
  };
}
