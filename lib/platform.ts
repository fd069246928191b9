import type { App, Stack } from 'aws-cdk-lib';
import { Tags } from 'aws-cdk-lib';
import { addValidationPlugins, iso27001Pack } from './validation/validators';
import type { EnvironmentRegion, PlatformConfig } from './config';
import { availabilityZonesContextKey, environmentRegions } from './config';
import { BackupStack } from './stacks/backup-stack';
import { ComputeStack } from './stacks/compute-stack';
import { auroraRole, DataStack } from './stacks/data-stack';
import { IngressStack } from './stacks/ingress-stack';
import { LifecycleStack } from './stacks/lifecycle-stack';
import { MonitoringStack } from './stacks/monitoring-stack';
import { NetworkStack } from './stacks/network-stack';
import { addOnCallAlarms } from './stacks/on-call-alarms';
import { addDnsFailover } from './stacks/ingress-dns';
import { SecurityStack } from './stacks/security-stack';
import { StorageStack } from './stacks/storage-stack';

/** Everything built for one environment in one region. */
export interface RegionStacks {
  readonly target: EnvironmentRegion;
  readonly security: SecurityStack;
  readonly network: NetworkStack;
  /** Absent in a secondary region whose environment has no global database. */
  readonly data?: DataStack;
  readonly storage: StorageStack;
  readonly backup: BackupStack;
  readonly ingress: IngressStack;
  readonly lifecycle: LifecycleStack;
  readonly compute: ComputeStack;
  /** The on-call dashboard of the region's alarms (last: it shows the others' alarms). */
  readonly monitoring: MonitoringStack;
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
    const base = { config, target };
    const security = new SecurityStack(app, base);
    const network = new NetworkStack(app, base);
    const data =
      target.role === 'primary' || auroraRole(base) === 'secondary'
        ? new DataStack(app, { ...base, network, security })
        : undefined;
    const storage = new StorageStack(app, { ...base, security });
    const backup = new BackupStack(app, { ...base, security, network, data });
    const lifecycle = new LifecycleStack(app, {
      ...base,
      security,
      network,
      data,
      storage,
      userPool: security.tenantIdentity.userPool,
    });
    // Only the archive worker may delete versions of this region's file bucket (besides break glass).
    const archiveWorker = lifecycle.workers?.archive.function.role;
    if (archiveWorker) storage.files.protection.allowVersionDeletion(archiveWorker.roleArn);
    const ingress = new IngressStack(app, {
      ...base,
      security,
      network,
      adminHandlers: lifecycle.adminHandlers,
    });
    const compute = new ComputeStack(app, { ...base, network, ingress, data, security, storage });
    const components = { security, network, data, storage, backup, ingress, lifecycle, compute };
    const alarmed = [security, network, data, storage, backup, ingress, lifecycle, compute].filter(
      (s) => s !== undefined,
    );
    addOnCallAlarms(components, alarmed);
    addDnsFailover(ingress);
    const monitoring = new MonitoringStack(app, { ...base, stacks: alarmed });
    const stacks: RegionStacks = { target, ...components, monitoring };
    for (const stack of stacksOf(stacks)) tag(stack, config, target);
    return stacks;
  });
  orderAcrossRegions(built);

  if (options.validate ?? true) {
    addValidationPlugins(app, config.compliance, [iso27001Pack(app, config)]);
  }
  return built;
}

export function stacksOf(region: RegionStacks): Stack[] {
  return [
    region.security,
    region.network,
    region.data,
    region.storage,
    region.backup,
    region.ingress,
    region.lifecycle,
    region.compute,
    region.monitoring,
  ].filter((s): s is NonNullable<typeof s> => s !== undefined);
}

/**
 * Deployment order where names, not references, connect stacks (always across regions): the
 * secondary database joins a global cluster the primary creates; the primary's file and archive
 * buckets replicate into buckets the secondary creates; the primary's registry replicates under
 * the secondary's database key; the primary's backup copies go to the secondary's vault.
 */
function orderAcrossRegions(built: RegionStacks[]): void {
  for (const region of built) {
    // Restore tests put restored clusters into the Data stack's subnet group, named, not referenced.
    if (region.data) region.backup.addStackDependency(region.data, 'restore tests name db-subnets');
  }
  for (const secondary of built.filter((b) => b.target.role === 'secondary')) {
    const primary = built.find(
      (b) => b.target.envName === secondary.target.envName && b.target.role === 'primary',
    );
    if (!primary) continue;
    const after = (later: Stack | undefined, earlier: Stack | undefined, why: string) => {
      if (later && earlier) later.addStackDependency(earlier, why);
    };
    after(secondary.data, primary.data, 'the secondary cluster joins the global cluster');
    after(primary.data, secondary.security, 'registry replica uses the secondary database key');
    after(secondary.lifecycle, primary.data, 'admin functions use the registry replica');
    after(primary.storage, secondary.storage, 'file replication needs the replica bucket');
    after(primary.lifecycle, secondary.lifecycle, 'archive replication needs the replica bucket');
    after(primary.backup, secondary.backup, 'copy actions need the secondary vault');
  }
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
