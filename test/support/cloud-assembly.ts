import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { sleep, sleepSync, tryLock, unlock } from './file-lock';

/**
 * The default platform, synthesized once by the real CDK CLI (`cdk synth`, every validator on)
 * and shared by every test file that reads templates. Jest's global setup
 * (test/setup/global-setup.ts) starts it in the background when the run begins; a test file that
 * needs it waits for it. The result is cached under node_modules/.cache, keyed by a hash of
 * everything that affects synthesis, so a second test run without source changes reuses it. A
 * lock directory keeps the setup and parallel Jest workers from synthesizing twice.
 */
export const ROOT = join(__dirname, '..', '..');
/** Where the test caches live (synth, cfn-lint); PLATFORM_TEST_CACHE moves them (benchmarks). */
export const CACHE_ROOT = process.env.PLATFORM_TEST_CACHE ?? join(ROOT, 'node_modules', '.cache');
const CACHE = join(CACHE_ROOT, 'platform-synth');
const INPUTS = [
  'bin',
  'lib',
  'lambda',
  'packages/cdk-iso27001/src',
  'cdk.json',
  'package-lock.json',
];
/** Built or installed, not source: a package's dist/ changes nothing the synth reads. */
const BUILD_OUTPUT = new Set(['dist', 'node_modules']);

export interface SynthResult {
  /** The cloud assembly directory. */
  readonly dir: string;
  /** What `cdk synth` printed (stdout and stderr), and whether it succeeded. */
  readonly output: string;
  readonly succeeded: boolean;
}

function files(path: string): string[] {
  if (!existsSync(path)) return [];
  if (statSync(path).isFile()) return [path];
  return readdirSync(path)
    .filter((entry) => !BUILD_OUTPUT.has(entry))
    .sort()
    .flatMap((entry) => files(join(path, entry)));
}

function inputsHash(): string {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap((input) => files(join(ROOT, input)))) {
    hash.update(relative(ROOT, file)).update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}

interface Slot {
  readonly dir: string;
  readonly done: string;
  readonly lock: string;
}

function slot(): Slot {
  const key = inputsHash();
  mkdirSync(CACHE, { recursive: true });
  return {
    dir: join(CACHE, key, 'cdk.out'),
    done: join(CACHE, key, 'done.json'),
    lock: join(CACHE, `${key}.lock`),
  };
}

const finished = (s: Slot): SynthResult | undefined =>
  existsSync(s.done) ? { dir: s.dir, ...JSON.parse(readFileSync(s.done, 'utf8')) } : undefined;

function synthCommand(s: Slot) {
  rmSync(join(s.dir, '..'), { recursive: true, force: true });
  mkdirSync(join(s.dir, '..'), { recursive: true });
  // the real synth runs every validator, the built-in one included; a deprecated API fails it
  const env: NodeJS.ProcessEnv = { ...process.env, JSII_DEPRECATED: 'fail' };
  delete env.CDK_VALIDATION;
  return {
    // the CLI's own entry point: `npx` would resolve it again and start one more process
    command: join(ROOT, 'node_modules', '.bin', 'cdk'),
    args: ['synth', '--quiet', '--output', s.dir],
    options: { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'] },
  };
}

function record(s: Slot, output: string, status: number | null): SynthResult {
  const result = { output, succeeded: status === 0 };
  writeFileSync(s.done, JSON.stringify(result));
  return { dir: s.dir, ...result };
}

/** The default platform's cloud assembly: from the cache, from a synth under way, or synthesized now. */
export function synthesizeDefaultPlatform(): SynthResult {
  const s = slot();
  for (;;) {
    const result = finished(s);
    if (result) return result;
    if (tryLock(s.lock)) break;
    sleepSync(500); // the global setup or another worker is synthesizing
  }
  try {
    const result = finished(s); // finished between our check and our lock
    if (result) return result;
    const { command, args, options } = synthCommand(s);
    const run = spawnSync(command, args, { ...options, encoding: 'utf8', maxBuffer: 256 << 20 });
    return record(s, `${run.stdout}${run.stderr}`, run.status);
  } finally {
    unlock(s.lock);
  }
}

/** The same, without blocking: for Jest's global setup, so that other test files run meanwhile. */
export async function synthesizeDefaultPlatformAsync(
  started: (kill: () => void) => void = () => undefined,
): Promise<SynthResult> {
  const s = slot();
  for (;;) {
    const result = finished(s);
    if (result) return result;
    if (tryLock(s.lock)) break;
    await sleep(500);
  }
  try {
    const result = finished(s);
    if (result) return result;
    const { command, args, options } = synthCommand(s);
    // its own process group, so that stopping it stops the CDK app it runs too
    const child = spawn(command, args, { ...options, detached: true });
    started(() => stopGroup(child.pid));
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const [status, signal] = await new Promise<[number | null, string | null]>((resolve) =>
      child.on('close', (code, sig) => resolve([code, sig])),
    );
    if (signal) throw new Error(`cdk synth stopped by ${signal}`); // nothing recorded: not a result
    return record(s, output, status);
  } finally {
    unlock(s.lock);
  }
}

function stopGroup(pid: number | undefined): void {
  try {
    if (pid) process.kill(-pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

/** Template JSON of every stack in the assembly, by stack id. */
export function templates(dir: string): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f.endsWith('.template.json'))
      .sort()
      .map((f) => [
        f.replace('.template.json', ''),
        JSON.parse(readFileSync(join(dir, f), 'utf8')),
      ]),
  );
}

/** Each stack's deployment target in a cloud assembly, from its manifest (`aws://account/region`). */
export function stackEnvironments(
  dir: string,
): Record<string, { account: string; region: string }> {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
    artifacts: Record<string, { type: string; environment?: string }>;
  };
  return Object.fromEntries(
    Object.entries(manifest.artifacts)
      .filter(([, a]) => a.type === 'aws:cloudformation:stack' && a.environment)
      .map(([id, a]) => {
        const [account = '', region = ''] = String(a.environment).replace('aws://', '').split('/');
        return [id, { account, region }];
      }),
  );
}
