import type { EnvironmentConfig, PlatformConfig, RegionNetworkConfig } from './schema';

const DIRECTIONS: Record<string, string> = {
  northeast: 'ne',
  northwest: 'nw',
  southeast: 'se',
  southwest: 'sw',
  north: 'n',
  south: 's',
  east: 'e',
  west: 'w',
  central: 'c',
};

/** `ap-southeast-2` -> `apse2`, `eu-central-1` -> `euc1`, `us-gov-west-1` -> `usgovw1`. */
export function regionShort(region: string): string {
  return region
    .split('-')
    .map((part) => DIRECTIONS[part] ?? part)
    .join('');
}

export type RegionRole = 'primary' | 'secondary';

/** One environment in one region: the unit a set of stacks is built for. */
export interface EnvironmentRegion {
  readonly envName: string;
  readonly env: EnvironmentConfig;
  readonly region: string;
  readonly role: RegionRole;
  /** The other region of the environment, if it has two. */
  readonly peerRegion?: string;
  readonly network: RegionNetworkConfig;
  readonly availabilityZones: readonly string[];
}

export function defaultAvailabilityZones(region: string): string[] {
  return ['a', 'b', 'c'].map((suffix) => `${region}${suffix}`);
}

/** Every environment and region of a (valid) config, primary before secondary. */
export function environmentRegions(config: PlatformConfig): EnvironmentRegion[] {
  return Object.entries(config.environments).flatMap(([envName, env]) => {
    const roles: [string, RegionRole, string | undefined][] = [
      [env.primaryRegion, 'primary', env.secondaryRegion],
    ];
    if (env.secondaryRegion) roles.push([env.secondaryRegion, 'secondary', env.primaryRegion]);
    return roles.map(([region, role, peerRegion]) => {
      const network = env.regions[region];
      return {
        envName,
        env,
        region,
        role,
        peerRegion,
        network,
        availabilityZones: network.availabilityZones ?? defaultAvailabilityZones(region),
      };
    });
  });
}

/** The context key the CDK reads availability zones from, so that `ec2.Vpc` never calls AWS. */
export function availabilityZonesContextKey(account: string, region: string): string {
  return `availability-zones:account=${account}:region=${region}`;
}
