import { Template } from 'aws-cdk-lib/assertions';
import { loadConfig } from '../../lib/config';
import type { RegionStacks } from '../../lib/platform';
import { buildPlatform } from '../../lib/platform';
import { testApp } from './app';

/**
 * The default platform's stacks built in-process without validation plugins (fast), for
 * fine-grained template assertions. Validators are covered by the real synth in
 * test/compliance/default-platform-validation.test.ts.
 */
export function buildDefaultPlatform(environments?: string[]): RegionStacks[] {
  return buildPlatform(testApp(), loadConfig(), { validate: false, environments });
}

export function regionOf(built: RegionStacks[], envName: string, role: 'primary' | 'secondary') {
  const found = built.find((b) => b.target.envName === envName && b.target.role === role);
  if (!found) throw new Error(`no ${role} region for ${envName}`);
  return found;
}

export { Template };
