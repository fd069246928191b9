/**
 * (c) Every Lambda bundle's size and module init time. Bundled with the local esbuild the way
 * the Lifecycle stack's NodejsFunction should: platform node, target node22, minified, cjs,
 * `@aws-sdk/*` external (the Node.js 22 Lambda runtime ships AWS SDK v3, so the bundle does
 * not carry it; init time below includes loading it from node_modules as the runtime would).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { HANDLER_ENV } from '../../test/support/lifecycle/handler-env';

const ROOT = join(__dirname, '..', '..');
const TARGET_BYTES = 250 * 1024;
/** `pg` requires `pg-native` only when asked for native bindings; it is never installed. */
export const EXTERNALS = ['@aws-sdk/*', 'pg-native'];

export interface BundleFigures {
  readonly name: string;
  readonly bytes: number;
  /** Init times in ms; empty when the init failed (see `initError`). */
  readonly initMs: number[];
  readonly initError?: string;
  readonly owned: boolean;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Requires the bundle in a fresh node process; the time of the require in ms, or why it failed. */
function initTime(file: string, env: Record<string, string>): number | string {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const run = spawnSync(process.execPath, ['-e', script], {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '',
      NODE_PATH: join(ROOT, 'node_modules'),
      AWS_REGION: 'ap-southeast-2',
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
      NODE_NO_WARNINGS: '1',
      ...env,
    },
  });
  if (run.status !== 0) {
    const line = run.stderr.split('\n').find((l) => /^\w*Error: /.test(l)) ?? 'exit ' + run.status;
    return line.length > 110 ? `${line.slice(0, 110)}...` : line;
  }
  return Number(run.stdout);
}

export async function runBundleBench(runs = 5): Promise<BundleFigures[]> {
  const out = mkdtempSync(join(tmpdir(), 'lifecycle-bundles-'));
  const names = readdirSync(join(ROOT, 'lambda'))
    .filter((d) => d !== 'shared' && existsSync(join(ROOT, 'lambda', d, 'index.ts')))
    .sort();
  const figures: BundleFigures[] = [];
  for (const name of names) {
    const outfile = join(out, `${name}.js`);
    const owned = name in HANDLER_ENV;
    try {
      await build({
        entryPoints: [join(ROOT, 'lambda', name, 'index.ts')],
        bundle: true,
        platform: 'node',
        target: 'node22',
        format: 'cjs',
        minify: true,
        external: EXTERNALS,
        outfile,
        logLevel: 'silent',
      });
    } catch (error) {
      if (owned) throw error;
      console.log(`    ${name}: not bundled (${(error as Error).message.split('\n')[0]})`);
      continue;
    }
    const env = HANDLER_ENV[name] ?? {};
    const first = initTime(outfile, env);
    const bytes = statSync(outfile).size;
    if (typeof first === 'string') {
      figures.push({ name, bytes, initMs: [], initError: first, owned });
      continue;
    }
    const initMs = [
      first,
      ...Array.from({ length: runs - 1 }, () => initTime(outfile, env) as number),
    ];
    figures.push({ name, bytes, initMs, owned });
  }

  console.log('\n(c) Lambda bundles: esbuild, platform node, target node22, minified, cjs,');
  console.log(`    externals ${EXTERNALS.join(', ')} (the Node.js 22 runtime provides AWS SDK v3)`);
  console.log(
    `    init = require() of the bundle in a fresh node ${process.version} process, median of ${runs}`,
  );
  console.log('    function             bundle KB   of 250 KB   init ms (median, min-max)');
  for (const f of figures) {
    const kb = f.bytes / 1024;
    const init = f.initError
      ? `not measured: ${f.initError}`
      : `${median(f.initMs).toFixed(0).padStart(7)} (${Math.min(...f.initMs).toFixed(0)}-${Math.max(...f.initMs).toFixed(0)})`;
    console.log(
      `    ${(f.name + (f.owned ? '' : ' *')).padEnd(20)} ${kb.toFixed(1).padStart(9)}   ${((f.bytes / TARGET_BYTES) * 100).toFixed(0).padStart(8)}%   ${init}`,
    );
  }
  if (figures.some((f) => !f.owned)) {
    console.log(
      '    * not a lifecycle handler: bundled for size; its environment is not known here',
    );
  }
  const sdkFile = join(out, 'sdk-baseline.js');
  writeFileSync(sdkFile, "require('@aws-sdk/client-dynamodb');require('@aws-sdk/lib-dynamodb');");
  const sdk = Array.from({ length: runs }, () => initTime(sdkFile, {})).filter(
    (v): v is number => typeof v === 'number',
  );
  if (sdk.length) {
    console.log(
      `    baseline: require of @aws-sdk/client-dynamodb + lib-dynamodb alone: ${median(sdk).toFixed(0)} ms (most of each init)`,
    );
  }
  const largest = figures.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  console.log(
    `    largest: ${largest.name}, ${(largest.bytes / TARGET_BYTES).toFixed(2)}x the 250 KB target`,
  );
  return figures;
}
