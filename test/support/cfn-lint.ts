import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { CACHE_ROOT } from './cloud-assembly';
import { sleep, sleepSync, tryLock, unlock } from './file-lock';

/**
 * cfn-lint over the templates of a cloud assembly, its findings cached per template content and
 * cfn-lint version (as lib/validation/parallel-cfn-guard.ts caches cfn-guard's): a template that
 * changes is linted again, an unchanged one is not. Jest's global setup lints in the background
 * as soon as the shared synth is done; the cfn-lint test reads the cache and lints what is missing.
 */
export const CFN_LINT_INSTALL = 'pip install cfn-lint';
const CACHE = join(CACHE_ROOT, 'cfn-lint');
/** One lock per template directory: linting another directory (a test's own) never waits. */
const lockOf = (dir: string) =>
  join(CACHE, `${createHash('sha256').update(dir).digest('hex').slice(0, 16)}.lock`);

export interface LintFinding {
  readonly Rule: { readonly Id: string };
  readonly Level: string;
  readonly Message: string;
  /** The template's file name (`<stack id>.template.json`). */
  readonly Filename: string;
}

function notInstalled(): Error {
  return new Error(`cfn-lint is not installed. Install it with: ${CFN_LINT_INSTALL}`);
}

let knownVersion: string | undefined;

/** cfn-lint's version, part of every cache key; asked once per process (a Python start each). */
function cfnLintVersion(): string {
  if (knownVersion) return knownVersion;
  const run = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
  if (run.error || run.status !== 0) throw notInstalled();
  knownVersion = run.stdout.trim();
  return knownVersion;
}

interface Plan {
  readonly keys: Map<string, string>;
  readonly missing: string[];
}

function plan(dir: string, version: string): Plan {
  const paths = readdirSync(dir)
    .filter((f) => f.endsWith('.template.json'))
    .sort()
    .map((f) => join(dir, f));
  const keys = new Map(
    paths.map((p) => [
      p,
      createHash('sha256').update(version).update('\0').update(readFileSync(p)).digest('hex'),
    ]),
  );
  return { keys, missing: paths.filter((p) => !existsSync(cachedFile(keys.get(p)!))) };
}

const cachedFile = (key: string) => join(CACHE, `${key}.json`);

function store(keys: Map<string, string>, linted: string[], stdout: string, stderr: string): void {
  let findings: LintFinding[];
  try {
    findings = JSON.parse(stdout || '[]') as LintFinding[];
  } catch {
    throw new Error(`cfn-lint printed no JSON:\n${stdout}\n${stderr}`);
  }
  for (const path of linted) {
    const own = findings.filter((f) => f.Filename === path);
    // whole or not at all: another run may read it while it is written
    const file = cachedFile(keys.get(path)!);
    writeFileSync(`${file}.${process.pid}`, JSON.stringify(own));
    renameSync(`${file}.${process.pid}`, file);
  }
}

const lintArgs = (paths: string[]) => ['--format', 'json', ...paths];

/** Every finding of every template in `dir` (from the cache, or linted now). */
export function lintTemplates(dir: string): LintFinding[] {
  const version = cfnLintVersion();
  mkdirSync(CACHE, { recursive: true });
  while (!tryLock(lockOf(dir))) sleepSync(500); // the global setup is linting these
  let keys: Map<string, string>;
  try {
    const todo = plan(dir, version);
    keys = todo.keys;
    if (todo.missing.length > 0) {
      const run = spawnSync('cfn-lint', lintArgs(todo.missing), {
        encoding: 'utf8',
        maxBuffer: 64 << 20,
      });
      if (run.error) throw notInstalled();
      store(keys, todo.missing, run.stdout, run.stderr);
    }
  } finally {
    unlock(lockOf(dir));
  }
  // a cached entry may come from another stack with the same content: name this one
  return [...keys].flatMap(([path, key]) =>
    (JSON.parse(readFileSync(cachedFile(key), 'utf8')) as LintFinding[]).map((f) => ({
      ...f,
      Filename: basename(path),
    })),
  );
}

function lintChunk(paths: string[], onStart: (stop: () => void) => void) {
  return new Promise<[string, string]>((resolve, reject) => {
    const child = spawn('cfn-lint', lintArgs(paths), { stdio: ['ignore', 'pipe', 'pipe'] });
    onStart(() => child.kill('SIGTERM'));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', () => reject(notInstalled()));
    child.on('close', (_code, signal) =>
      signal ? reject(new Error(`cfn-lint stopped by ${signal}`)) : resolve([stdout, stderr]),
    );
  });
}

/**
 * Fills the cache for the templates in `dir`, in `processes` cfn-lint processes at once, without
 * blocking (Jest's global setup). Failures are left to lintTemplates, which reports them.
 */
export async function lintTemplatesAsync(
  dir: string,
  processes: number,
  started: (stop: () => void) => void = () => undefined,
): Promise<void> {
  mkdirSync(CACHE, { recursive: true });
  while (!tryLock(lockOf(dir))) await sleep(500);
  try {
    const todo = plan(dir, cfnLintVersion());
    const chunks = Array.from({ length: processes }, (_, i) =>
      todo.missing.filter((_p, j) => j % processes === i),
    ).filter((chunk) => chunk.length > 0);
    await Promise.all(
      chunks.map(async (chunk) => {
        const [stdout, stderr] = await lintChunk(chunk, started);
        store(todo.keys, chunk, stdout, stderr);
      }),
    );
  } finally {
    unlock(lockOf(dir));
  }
}
