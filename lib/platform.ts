import type { App, Stack } from 'aws-cdk-lib';
import { Tags } from 'aws-cdk-lib';
import { addValidationPlugins } from './compliance/validators';
import type { EnvironmentRegion, PlatformConfig } from './config';
import { availabilityZonesContextKey, environmentRegions } from './config';
import { NetworkStack } from './stacks/network-stack';

/** Everything built for one environment in one region. */
export interface RegionStacks {
  readonly target: EnvironmentRegion;
  readonly network: NetworkStack;
}

export interface BuildPlatformOptions {
  /**
   * Register the validation plugins of `config.compliance`.
   * @default true
   */
  readonly validate?: boolean;
  /**
   * Build only these environments (names).
   * @default every environment in the config
   */
  readonly environments?: readonly string[];
  /**
   * Build only these regions.
   * @default every region of each environment
   */
  readonly regions?: readonly string[];
}

/**
 * Build the whole platform into `app`: for every environment and region, its stacks, tagged, with
 * the validation plugins registered. The config must already be validated (see `loadConfig`).
 */
export function buildPlatform(
  app: App,
  config: PlatformConfig,
  options: BuildPlatformOptions = {},
): RegionStacks[] {
  const targets = environmentRegions(config).filter(
    (t) =>
      (!options.environments || options.environments.includes(t.envName)) &&
      (!options.regions || options.regions.includes(t.region)),
  );
  for (const target of targets) provideAvailabilityZones(app, target);

  const built = targets.map((target) => {
    const network = new NetworkStack(app, { config, target });
    const stacks: RegionStacks = { target, network };
    for (const stack of stacksOf(stacks)) tag(stack, config, target);
    return stacks;
  });

  if (options.validate ?? true) addValidationPlugins(app, config.compliance);
  return built;
}

export function stacksOf(region: RegionStacks): Stack[] {
  return [region.network];
}

function tag(stack: Stack, config: PlatformConfig, target: EnvironmentRegion): void {
  Tags.of(stack).add('Application', config.app);
  Tags.of(stack).add('Environment', target.envName);
  Tags.of(stack).add('Owner', config.owner);
  Tags.of(stack).add('DataClassification', config.dataClassification);
}

/**
 * `ec2.Vpc` reads the zones of an explicit account and region from context; set them from the
 * config when cdk.json does not have them, so synth never asks AWS. A zone list in context that
 * disagrees with the config is an error, not a silent choice.
 */
function provideAvailabilityZones(app: App, target: EnvironmentRegion): void {
  const key = availabilityZonesContextKey(target.env.account, target.region);
  const existing = app.node.tryGetContext(key) as string[] | undefined;
  if (existing === undefined) {
    app.node.setContext(key, [...target.availabilityZones]);
  } else if (existing.join(',') !== target.availabilityZones.join(',')) {
    throw new Error(
      `Context "${key}" lists ${existing.join(', ')} but environments.${target.envName}.regions.` +
        `${target.region} uses ${target.availabilityZones.join(', ')}. ` +
        `Fix: set availabilityZones in the config to match, or correct the context in cdk.json.`,
    );
  }
}
