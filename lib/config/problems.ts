import type { core } from 'zod';

/** One thing wrong with a config: where, what, and how to fix it. */
export interface ConfigProblem {
  /** Dotted path to the field, e.g. `environments.prod.account`. */
  readonly path: string;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/** Thrown by the loader with every problem found; nothing is synthesized. */
export class ConfigError extends Error {
  constructor(
    readonly problems: readonly ConfigProblem[],
    readonly source: string,
  ) {
    super(formatProblems(problems, source));
    this.name = 'ConfigError';
  }
}

export function formatProblems(problems: readonly ConfigProblem[], source: string): string {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  const lines = problems.map((p) => `  - ${p.path || '(root)'}: ${p.message}\n    fix: ${p.fix}`);
  return `Platform config (${source}) has ${count}; nothing was synthesized.\n${lines.join('\n')}`;
}

export function pathToString(path: readonly PropertyKey[]): string {
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
    .join('.')
    .replace(/\.\[/g, '[');
}

/** How to fix a schema problem, by the name of the field it concerns, else by the kind of issue. */
const FIX_BY_FIELD: Record<string, string> = {
  account:
    'use the 12-digit id of the AWS account that hosts this environment, e.g. "123456789012"',
  primaryRegion: 'use a region code from allowedRegions, e.g. "ap-southeast-2"',
  secondaryRegion:
    'use a region code from allowedRegions other than the primary, or remove the field',
  vpcCidr: 'use a private range such as "10.40.0.0/16" that no other environment or region uses',
  availabilityZones:
    'list the region\'s three zone names, e.g. ["ap-southeast-2a", "ap-southeast-2b", "ap-southeast-2c"]',
  natGateways: 'use "perAz" for production (survives an AZ outage) or "single" for dev and test',
  logRetentionDays: 'pick one of the periods CloudWatch Logs accepts, e.g. 30, 90, 365 or 400',
  flowLogRetentionDays: 'pick one of the periods CloudWatch Logs accepts, e.g. 90 or 365',
  continuousRetentionDays: 'use a value from 1 to 35',
  app: 'use a short lowercase name such as "logi"',
  dataClassification: 'use one of public, internal, confidential, restricted',
  endpoint:
    'use an e-mail address such as "oncall@example.com" (protocol "email") or an https URL (protocol "https")',
  protocol: 'use "email" or "https"',
  severities: 'list one or both of "security" and "operational"',
  allowedRegions:
    'list the region codes your data may reside in, e.g. ["ap-southeast-2", "ap-southeast-4"]',
};

export function fixForSchemaIssue(issue: core.$ZodIssue): string {
  const field = [...issue.path].reverse().find((p) => typeof p === 'string');
  if (issue.code === 'unrecognized_keys') {
    return `remove ${issue.keys.map((k) => `"${k}"`).join(', ')} or correct the spelling (see config/platform.example.json)`;
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return `add the required field (see config/platform.example.json for its format)`;
  }
  if (typeof field === 'string' && FIX_BY_FIELD[field]) return FIX_BY_FIELD[field];
  if (typeof field === 'string' && field.endsWith('Days'))
    return 'use a whole number of days, at least 1';
  if (issue.code === 'invalid_key') return 'rename the key as described above';
  return 'correct the value (see config/platform.example.json for the format)';
}
