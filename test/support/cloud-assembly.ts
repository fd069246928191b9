import { spawnSync } from 'node:child_process';
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

/**
 * The default platform, synthesized once by the real CDK CLI (`cdk synth`, every validator on)
 * and shared by every test file that reads templates. The result is cached under
 * node_modules/.cache, keyed by a hash of everything that affects synthesis, so a second test run
 * without source changes reuses it. A lock directory keeps parallel Jest workers from
 * synthesizing twice.
 */
export const ROOT = join(__dirname, '..', '..');
const CACHE = join(ROOT, 'node_modules', '.cache', 'platform-synth');
const INPUTS = ['bin', 'lib', 'lambda', 'cdk.json', 'package-lock.json'];

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

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function synthesizeDefaultPlatform(): SynthResult {
  const key = inputsHash();
  const dir = join(CACHE, key, 'cdk.out');
  const done = join(CACHE, key, 'done.json');
  const lock = join(CACHE, `${key}.lock`);
  mkdirSync(CACHE, { recursive: true });
  for (;;) {
    if (existsSync(done)) return { dir, ...JSON.parse(readFileSync(done, 'utf8')) };
    try {
      mkdirSync(lock);
      break;
    } catch {
      sleep(500); // another worker is synthesizing
    }
  }
  try {
    rmSync(join(CACHE, key), { recursive: true, force: true });
    mkdirSync(join(CACHE, key), { recursive: true });
    const env = { ...process.env };
    delete env.CDK_VALIDATION; // the real synth runs every validator, the built-in one included
    const run = spawnSync('npx', ['cdk', 'synth', '--quiet', '--output', dir], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 256 * 1024 * 1024,
    });
    const result = { output: `${run.stdout}${run.stderr}`, succeeded: run.status === 0 };
    writeFileSync(done, JSON.stringify(result));
    return { dir, ...result };
  } finally {
    rmSync(lock, { recursive: true, force: true });
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
