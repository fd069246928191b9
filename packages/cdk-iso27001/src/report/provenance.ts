import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/** Where a report comes from: enough for a reviewer to reproduce it. */
export interface Provenance {
  /** The commit the templates were synthesized from; undefined outside a git work tree. */
  readonly commit?: string;
  /** Whether the work tree had uncommitted changes (then the commit alone does not reproduce it). */
  readonly dirty?: boolean;
  /** The config file, as given, or a description of the embedded default. */
  readonly config: string;
  /** sha256 of the effective config (canonical JSON). */
  readonly configSha256?: string;
  /** Package versions behind each plugin, by plugin name. */
  readonly pluginVersions: Readonly<Record<string, string>>;
  /** When the report was built (ISO timestamp). */
  readonly generatedAt: string;
}

function git(cwd: string, args: string[]): string | undefined {
  const run = spawnSync('git', args, { cwd, encoding: 'utf8' });
  return run.status === 0 ? run.stdout.trim() : undefined;
}

/** A package's version as installed for the project, or undefined. */
export function installedVersion(pkg: string, cwd: string): string | undefined {
  try {
    const file = require.resolve(`${pkg}/package.json`, { paths: [cwd] });
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** JSON with sorted keys, so the hash does not depend on key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The packages that ship each known plugin (the cdk-nag packs report no version of their own). */
const PLUGIN_PACKAGES: Readonly<Record<string, string>> = {
  AwsSolutions: 'cdk-nag',
  'NIST.800.53.R5': 'cdk-nag',
  'HIPAA.Security': 'cdk-nag',
  'PCI.DSS.321': 'cdk-nag',
  'cdk-validator-cfnguard': '@cdklabs/cdk-validator-cfnguard',
  'CloudFormation Validate': 'aws-cdk-lib',
};

export interface ProvenanceOptions {
  readonly cwd: string;
  /** The plugins of the run, with the versions they reported. */
  readonly plugins: readonly { readonly name: string; readonly version?: string }[];
  /** The config file as given, or undefined for the embedded default. */
  readonly configFile?: string;
  /** The effective config, hashed. */
  readonly config?: unknown;
  readonly now: Date;
}

/** Collect the provenance of a report run. */
export function collectProvenance(options: ProvenanceOptions): Provenance {
  const { cwd } = options;
  const commit = git(cwd, ['rev-parse', 'HEAD']);
  const status = commit ? git(cwd, ['status', '--porcelain', '--untracked-files=no']) : undefined;
  const pluginVersions: Record<string, string> = {};
  for (const plugin of options.plugins) {
    const pkg = PLUGIN_PACKAGES[plugin.name];
    const installed = pkg ? installedVersion(pkg, cwd) : undefined;
    const version = plugin.version || (installed ? `${pkg}@${installed}` : undefined) || 'unknown';
    pluginVersions[plugin.name] = version;
  }
  return {
    commit,
    dirty: status === undefined ? undefined : status.length > 0,
    config: options.configFile
      ? path.relative(cwd, path.resolve(cwd, options.configFile)) || options.configFile
      : 'embedded default (lib/config/default-config.ts)',
    configSha256:
      options.config === undefined
        ? undefined
        : createHash('sha256').update(canonicalJson(options.config)).digest('hex'),
    pluginVersions,
    generatedAt: options.now.toISOString(),
  };
}
