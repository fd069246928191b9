import { lintTemplatesAsync } from '../support/cfn-lint';
import { synthesizeDefaultPlatformAsync } from '../support/cloud-assembly';

/**
 * The slow shared work of a test run, in a process of its own (started by the global setup):
 * the real `cdk synth` of the default platform, then cfn-lint over its templates (two
 * processes). It holds the cache locks itself, so a test file that waits for them with a blocking
 * sleep (also one running in Jest's own process, as with a single test file) never blocks the
 * work it waits for. Failures are left to the test files, which report them.
 */
async function main(): Promise<void> {
  const synth = await synthesizeDefaultPlatformAsync();
  if (synth.succeeded) await lintTemplatesAsync(synth.dir, 2);
}

main().catch(() => process.exit(1));
