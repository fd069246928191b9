import { lintTemplatesAsync } from '../support/cfn-lint';
import { synthesizeDefaultPlatformAsync } from '../support/cloud-assembly';

/**
 * Starts the slow shared work of a test run at once, in the background, while the test files
 * that need none of it run: the real `cdk synth` of the default platform, then cfn-lint over its
 * templates (two processes). Both write to caches keyed by content, which the test files read
 * through synthesizeDefaultPlatform() and lintTemplates(); a test file that comes first waits.
 * Nothing here decides a result: a failure is left for those test files to report.
 */
export interface Background {
  readonly work: Promise<void>;
  readonly stops: (() => void)[];
}

export default function globalSetup(): void {
  const stops: (() => void)[] = [];
  const work = synthesizeDefaultPlatformAsync((stop) => stops.push(stop))
    .then((synth) =>
      synth.succeeded ? lintTemplatesAsync(synth.dir, 2, (stop) => stops.push(stop)) : undefined,
    )
    .catch(() => undefined);
  (globalThis as { platformTestBackground?: Background }).platformTestBackground = { work, stops };
}
