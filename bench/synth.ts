/**
 * Synth benchmark: the full default platform with every validator, against one environment in one
 * region. Prints wall times, stack and resource counts, the largest template and the ratio.
 *
 *   npm run bench:synth
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

interface SynthFigures {
  seconds: number;
  stacks: number;
  resources: number;
  largest: { stack: string; bytes: number; resources: number };
  mostResources: { stack: string; resources: number };
}

function synth(label: string, context: string[]): SynthFigures {
  const out = mkdtempSync(join(tmpdir(), 'bench-synth-'));
  const args = ['cdk', 'synth', '--quiet', '--output', out, ...context.flatMap((c) => ['-c', c])];
  const start = process.hrtime.bigint();
  const run = spawnSync('npx', args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 << 20 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (run.status !== 0) throw new Error(`${label} synth failed:\n${run.stdout}${run.stderr}`);

  const stacks = readdirSync(out)
    .filter((f) => f.endsWith('.template.json'))
    .map((f) => {
      const path = join(out, f);
      const template = JSON.parse(readFileSync(path, 'utf8')) as { Resources?: object };
      return {
        stack: f.replace('.template.json', ''),
        bytes: statSync(path).size,
        resources: Object.keys(template.Resources ?? {}).length,
      };
    });
  const largest = stacks.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const mostResources = stacks.reduce((a, b) => (b.resources > a.resources ? b : a));
  return {
    seconds,
    stacks: stacks.length,
    resources: stacks.reduce((sum, s) => sum + s.resources, 0),
    largest,
    mostResources,
  };
}

function print(label: string, f: SynthFigures): void {
  console.log(`${label}`);
  console.log(`  wall time            ${f.seconds.toFixed(1)} s`);
  console.log(`  stacks               ${f.stacks}`);
  console.log(`  resources            ${f.resources}`);
  console.log(
    `  largest template     ${f.largest.stack}: ${(f.largest.bytes / 1024).toFixed(0)} KiB, ${f.largest.resources} resources`,
  );
  console.log(
    `  most resources       ${f.mostResources.stack}: ${f.mostResources.resources} (limit 250)`,
  );
}

/** cfn-guard results are cached per template; clear the cache for a cold run. */
const clearGuardCache = () =>
  rmSync(join(ROOT, 'node_modules', '.cache', 'cfn-guard'), { recursive: true, force: true });

clearGuardCache();
const single = synth('single', ['environments=dev', 'regions=ap-southeast-2']);
clearGuardCache();
const full = synth('full', []);
const warm = synth('full, warm', []);
print('Full default platform, cold (every environment and region, every validator)', full);
print('One environment in one region (dev, ap-southeast-2), cold', single);
console.log(`Full default platform, warm cfn-guard cache: ${warm.seconds.toFixed(1)} s`);
console.log(
  `Ratio full / single (cold): ${(full.seconds / single.seconds).toFixed(2)}x wall time for ` +
    `${(full.stacks / single.stacks).toFixed(1)}x the stacks, ` +
    `${(full.resources / single.resources).toFixed(1)}x the resources`,
);
console.log(
  `Target full synth under 30 s: cold ${full.seconds.toFixed(1)} s, warm ${warm.seconds.toFixed(1)} s`,
);
