/**
 * Test-time benchmark: `npm test` (type check, lint, Jest) from a clean clone of the current
 * commit, as CI or a new engineer runs it. Prints the wall time of the whole command and of Jest,
 * and the five slowest test files.
 *
 *   npm run bench:test-time            (add -- --keep to keep the clone)
 *
 * node_modules: the clone gets a node_modules directory of links to this checkout's installed
 * packages, not `npm ci`: the machines have no registry access, installation is not what is being
 * measured, and a directory of links (not one link to the whole folder) gives the clone its own
 * empty node_modules/.cache, so the shared synth, cfn-lint and cfn-guard caches start cold, as
 * in a clean clone. Jest gets its own empty cache directory for the same reason.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  lstatSync,
  readlinkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { sampleProcessCpu } from './process-cpu';

const ROOT = join(__dirname, '..');
const keep = process.argv.includes('--keep');

interface JestReport {
  success: boolean;
  startTime: number;
  numTotalTests: number;
  numFailedTests: number;
  testResults: { name: string; startTime: number; endTime: number }[];
}

function run(command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed in ${cwd}`);
}

const commit = spawnSync('git', ['rev-parse', 'HEAD'], {
  cwd: ROOT,
  encoding: 'utf8',
}).stdout.trim();
const dirty = spawnSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' }).stdout;
if (dirty.trim()) console.log('Note: uncommitted changes are not part of the clone.');

const work = mkdtempSync(join(tmpdir(), 'bench-test-time-'));
chmodSync(work, 0o755); // PostgreSQL runs as `nobody` under root and must reach node_modules
const clone = join(work, 'repo');
run('git', ['clone', '--quiet', '--no-checkout', ROOT, clone], work);
run('git', ['checkout', '--quiet', '--detach', commit], clone);

const installed = realpathSync(join(ROOT, 'node_modules'));
/**
 * Links `dir` of the clone's node_modules to the installed one, entry by entry. A relative link
 * (npm's link to a workspace package, such as @logistics-platform/cdk-iso27001) is copied as
 * written, so that it resolves to the clone's own package; a scope folder holding such links is
 * linked entry by entry.
 */
function linkModules(dir: string): void {
  mkdirSync(join(clone, 'node_modules', dir), { recursive: true });
  for (const entry of readdirSync(join(installed, dir))) {
    if (entry === '.cache') continue;
    const path = join(dir, entry);
    const source = join(installed, path);
    const target = join(clone, 'node_modules', path);
    const link = lstatSync(source).isSymbolicLink() ? readlinkSync(source) : undefined;
    if (link !== undefined && !link.startsWith('/')) symlinkSync(link, target);
    else if (entry.startsWith('@') && hasRelativeLinks(source)) linkModules(path);
    else symlinkSync(source, target);
  }
}
const hasRelativeLinks = (dir: string) =>
  readdirSync(dir).some((e) => {
    const path = join(dir, e);
    return lstatSync(path).isSymbolicLink() && !readlinkSync(path).startsWith('/');
  });
linkModules('');

/** CPU seconds of this process's finished children (and theirs), from /proc (Linux). */
function childCpuSeconds(): number {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100; // cutime + cstime, in clock ticks
  } catch {
    return NaN;
  }
}

async function main(): Promise<void> {
  const report = join(work, 'jest.json');
  const loadBefore = loadavg()[0];
  const cpuBefore = childCpuSeconds();
  const start = Date.now();
  const child = spawn(
    'npm',
    [
      'test',
      '--',
      '--json',
      `--outputFile=${report}`,
      `--cacheDirectory=${join(work, 'jest-cache')}`,
    ],
    { cwd: clone, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const sampler = sampleProcessCpu(child.pid!);
  const test = {
    status: await new Promise<number | null>((resolve) =>
      child.on('close', (code) => resolve(code)),
    ),
  };
  const byKind = sampler.stop();
  const end = Date.now();
  const cpu = childCpuSeconds() - cpuBefore;

  console.log(`\nnpm test from a clean clone of ${commit.slice(0, 12)}`);
  console.log(`  exit status          ${test.status}`);
  console.log(`  wall time            ${((end - start) / 1000).toFixed(1)} s (target 120 s)`);
  console.log(
    `  CPU time             ${cpu.toFixed(1)} s on ${cpus().length} cores ` +
      `(load average ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after: ` +
      'other work on the machine stretches the wall time, not the CPU time)',
  );
  console.log('  CPU time by process (sampled every 0.5 s from /proc)');
  for (const [kind, seconds] of byKind)
    console.log(`    ${seconds.toFixed(1).padStart(6)} s  ${kind}`);
  const attributed = byKind.reduce((sum, [, seconds]) => sum + seconds, 0);
  console.log(
    `    ${(cpu - attributed).toFixed(1).padStart(6)} s  unattributed (processes shorter than 0.5 s)`,
  );
  try {
    const jest = JSON.parse(readFileSync(report, 'utf8')) as JestReport;
    const files = jest.testResults
      .map((r) => ({
        file: relative(clone, r.name),
        seconds: (r.endTime - r.startTime) / 1000,
      }))
      .sort((a, b) => b.seconds - a.seconds);
    const jestEnd = Math.max(...jest.testResults.map((r) => r.endTime));
    console.log(
      `  Jest started after   ${((jest.startTime - start) / 1000).toFixed(1)} s (the static checks run beside it)`,
    );
    console.log(
      `  jest                 ${((jestEnd - jest.startTime) / 1000).toFixed(1)} s, ` +
        `${files.length} files, ${jest.numTotalTests} tests, ${jest.numFailedTests} failed`,
    );
    console.log('  slowest test files');
    for (const f of files.slice(0, 5))
      console.log(`    ${f.seconds.toFixed(1).padStart(6)} s  ${f.file}`);
  } catch {
    console.log('  (no Jest report: Jest did not run to the end)');
  }
  if (keep) console.log(`Clone kept in ${clone}`);
  else rmSync(work, { recursive: true, force: true });
  process.exitCode = test.status ?? 1;
}

void main();
