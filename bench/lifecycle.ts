/**
 * Lifecycle benchmark (issue 6, point 8). Prints figures and ratios, not pass/fail.
 *
 *   npm run bench:lifecycle                 all parts
 *   npm run bench:lifecycle -- sweep|archive|bundles   one part
 *   LIFECYCLE_BENCH_REGISTRY=20000 npm run bench:lifecycle -- sweep   a smaller registry
 *
 * (a) sweep cost against registry size: bench/lifecycle/sweep-cost.ts
 * (b) archive throughput on embedded Postgres: bench/lifecycle/archive-throughput.ts
 * (c) Lambda bundle sizes and init times: bench/lifecycle/bundles.ts
 */
import { runArchiveThroughputBench } from './lifecycle/archive-throughput';
import { runBundleBench } from './lifecycle/bundles';
import { runSweepCostBench } from './lifecycle/sweep-cost';

async function main(): Promise<void> {
  const only = process.argv[2];
  const parts = only ? [only] : ['sweep', 'archive', 'bundles'];
  const unknown = parts.filter((p) => !['sweep', 'archive', 'bundles'].includes(p));
  if (unknown.length)
    throw new Error(`unknown part ${unknown.join(', ')}: use sweep, archive or bundles`);
  const started = performance.now();
  if (parts.includes('sweep')) {
    const registrySize = Number(process.env.LIFECYCLE_BENCH_REGISTRY ?? 100_000);
    await runSweepCostBench({ registrySize });
  }
  if (parts.includes('archive')) {
    console.log('\n(b) Archive throughput (embedded Postgres)');
    await runArchiveThroughputBench();
  }
  if (parts.includes('bundles')) await runBundleBench();
  console.log(
    `\nlifecycle benchmark done in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
