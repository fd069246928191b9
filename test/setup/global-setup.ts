import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { SHARED_MOTO, startMotoServer } from '../support/moto';

/**
 * Starts the slow shared work of a test run at once, in the background, while the test files
 * that need none of it run: `background-work.ts` in its own process group (the real `cdk synth`
 * of the default platform, then cfn-lint over its templates). It writes to caches keyed by
 * content, which the test files read through synthesizeDefaultPlatform() and lintTemplates(); a
 * test file that comes first waits for its locks. Nothing here decides a result.
 *
 * The work runs in a separate process, never in Jest's own: with a single test file Jest runs it
 * in its own process, whose blocking wait would otherwise stop the very work it waits for.
 */
export interface Background {
  readonly work: Promise<void>;
  readonly stops: (() => Promise<void> | void)[];
}

const ROOT = join(__dirname, '..', '..');

/** Whether the run's files read the shared synth (told by test-sequencer.js; unknown: yes). */
const synthNeeded = () => process.env.PLATFORM_TEST_SYNTH_READERS !== '0';

export default async function globalSetup(): Promise<void> {
  const stops: (() => Promise<void> | void)[] = [];
  const work = synthNeeded() ? startBackgroundWork(stops) : Promise.resolve();
  // One moto_server for the run's test files (test/support/moto.ts); they wait until it answers.
  const moto = await startMotoServer();
  process.env[SHARED_MOTO] = moto.missing ? 'missing' : moto.endpoint;
  stops.push(() => moto.stop());
  (globalThis as { platformTestBackground?: Background }).platformTestBackground = { work, stops };
}

function startBackgroundWork(stops: (() => Promise<void> | void)[]): Promise<void> {
  const tsx = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const child = spawn(process.execPath, [tsx, join(__dirname, 'background-work.ts')], {
    cwd: ROOT,
    detached: true, // its own process group: stopping it stops the synth and cfn-lint too
    stdio: 'ignore',
  });
  const work = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const stop = () => {
    try {
      if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  stops.push(stop);
  return work;
}
