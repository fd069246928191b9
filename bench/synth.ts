/**
 * Synth benchmark: the full default platform with every validator, against one environment in one
 * region, cold (the synth caches emptied) and warm (a second synth). Prints wall times, stack and
 * resource counts, the largest template and the one-environment-region / full ratio.
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
  const cdk = join(ROOT, 'node_modules', '.bin', 'cdk'); // as `npm run synth` runs it (no npx)
  const args = ['synth', '--quiet', '--output', out, ...context.flatMap((c) => ['-c', c])];
  const start = process.hrtime.bigint();
  const run = spawnSync(cdk, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 << 20 });
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

/** What synth caches by content (bundles, cfn-guard and built-in validation findings). */
const CACHES = ['cfn-guard', 'cloudformation-validate', 'lambda-bundles'];
const emptyCaches = () => {
  for (const cache of CACHES) {
    rmSync(join(ROOT, 'node_modules', '.cache', cache), { recursive: true, force: true });
  }
};
const SINGLE = ['environments=dev', 'regions=ap-southeast-2'];

emptyCaches();
const singleCold = synth('single', SINGLE);
emptyCaches();
const full = synth('full', []);
const warm = synth('full, warm', []);
const singleWarm = synth('single, warm', SINGLE);
print('Full default platform, cold (every environment and region, every validator)', full);
print('One environment in one region (dev, ap-southeast-2), cold', singleCold);
console.log(`Cold = ${CACHES.map((c) => `node_modules/.cache/${c}`).join(', ')} emptied first.`);
console.log(
  `Full default platform, warm:          ${warm.seconds.toFixed(1)} s (target at most 12 s)`,
);
console.log(`One environment in one region, warm:  ${singleWarm.seconds.toFixed(1)} s`);
console.log(
  `Ratio one environment-region / full: warm ${(singleWarm.seconds / warm.seconds).toFixed(2)}x ` +
    `(target at most 0.4x), cold ${(singleCold.seconds / full.seconds).toFixed(2)}x, for ` +
    `${(singleCold.stacks / full.stacks).toFixed(2)}x the stacks and ` +
    `${(singleCold.resources / full.resources).toFixed(2)}x the resources`,
);
