import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import type * as ChildProcess from 'node:child_process';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssetStaging, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import { cachedBundle } from '../../../lib/constructs/core/bundle-cache';
import { testApp } from '../../support/app';

const ROOT = join(__dirname, '..', '..', '..');
/** The module object itself (an `import *` is a copy), so that a spy sees the bundler's calls. */
const childProcess = createRequire(__filename)('node:child_process') as typeof ChildProcess;
const BUNDLING: nodejs.BundlingOptions = {
  minify: true,
  sourceMap: false,
  target: 'node22',
  externalModules: ['@aws-sdk/*'],
  forceDockerBundling: false,
};

/** A small project of its own (the repository's lock file and node_modules) to edit freely. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bundle-cache-'));
  copyFileSync(join(ROOT, 'package-lock.json'), join(dir, 'package-lock.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  mkdirSync(join(dir, 'fn'));
  writeFileSync(join(dir, 'fn', 'greeting.ts'), "export const greeting = 'hello';\n");
  writeFileSync(
    join(dir, 'fn', 'index.ts'),
    "import { greeting } from './greeting';\nexport const handler = async () => greeting;\n",
  );
  return dir;
}

interface Synth {
  hash: string;
  bundle: string;
  /** The staged asset's file names, sorted. */
  files: string[];
  /** The source map's `sources`, when the bundle has one. */
  mapSources?: string[];
  esbuildRuns: number;
}

/** Synthesizes one function and says its asset hash, its bundle and how often esbuild ran. */
function synth(
  dir: string,
  code: 'nodejs' | 'cached',
  cacheDir: string,
  options: { bundling?: nodejs.BundlingOptions; outdir?: string } = {},
): Synth {
  AssetStaging.clearAssetHashCache(); // each synth as a fresh process would do it
  const spawn = jest.spyOn(childProcess, 'spawnSync');
  const outdir = options.outdir ?? mkdtempSync(join(tmpdir(), 'bundle-cache-out-'));
  const bundling = options.bundling ?? BUNDLING;
  const stack = new Stack(testApp({ outdir }), 'Bundles');
  const common = {
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
  };
  const entry = join(dir, 'fn', 'index.ts');
  const depsLockFilePath = join(dir, 'package-lock.json');
  const fn =
    code === 'nodejs'
      ? new nodejs.NodejsFunction(stack, 'Fn', {
          ...common,
          entry,
          depsLockFilePath,
          bundling,
        })
      : new nodejs.NodejsFunction(stack, 'Fn', {
          ...common,
          handler: 'index.handler',
          code: cachedBundle(stack, {
            ...common,
            entry,
            depsLockFilePath,
            bundling,
            cacheDir,
          }),
        });
  const esbuildRuns = spawn.mock.calls.filter((call) =>
    JSON.stringify(call).includes('esbuild'),
  ).length;
  spawn.mockRestore();
  const asset = fn.node.findChild('Code') as unknown as { assetHash: string } | undefined;
  const hash =
    asset?.assetHash ??
    (stack.resolve((fn.node.defaultChild as lambda.CfnFunction).code) as { s3Key: string }).s3Key;
  const staged = join(outdir, readdirSync(outdir).find((f) => f.startsWith('asset.')) ?? '');
  const files = readdirSync(staged).sort();
  return {
    hash,
    bundle: readFileSync(join(staged, 'index.js'), 'utf8'),
    files,
    mapSources: files.includes('index.js.map')
      ? (JSON.parse(readFileSync(join(staged, 'index.js.map'), 'utf8')) as { sources: string[] })
          .sources
      : undefined,
    esbuildRuns,
  };
}

test('a cached bundle has the asset hash and bytes of NodejsFunction, and a hit runs no esbuild', () => {
  const dir = project();
  const cacheDir = mkdtempSync(join(tmpdir(), 'bundle-cache-dir-'));
  const plain = synth(dir, 'nodejs', cacheDir);
  const miss = synth(dir, 'cached', cacheDir);
  const hit = synth(dir, 'cached', cacheDir);

  expect(plain.esbuildRuns).toBeGreaterThan(0);
  expect(miss.esbuildRuns).toBeGreaterThan(0);
  expect(hit.esbuildRuns).toBe(0);
  expect(miss.hash).toBe(plain.hash);
  expect(hit.hash).toBe(plain.hash);
  expect(hit.bundle).toBe(plain.bundle);
  expect(plain.bundle).toContain('hello');
  // the metafile the cache reads its sources from is not part of the asset
  expect(miss.files).toEqual(plain.files);
  expect(hit.files).toEqual(plain.files);
});

test('a changed source, or a new file an import may resolve to, bundles again', () => {
  const dir = project();
  const cacheDir = mkdtempSync(join(tmpdir(), 'bundle-cache-dir-'));
  const first = synth(dir, 'cached', cacheDir);

  writeFileSync(join(dir, 'fn', 'greeting.ts'), "export const greeting = 'goodbye';\n");
  const edited = synth(dir, 'cached', cacheDir);
  expect(edited.esbuildRuns).toBeGreaterThan(0);
  expect(edited.hash).not.toBe(first.hash);
  expect(edited.bundle).toContain('goodbye');

  writeFileSync(join(dir, 'fn', 'greeting.ts'), "export const greeting = 'hello';\n");
  const reverted = synth(dir, 'cached', cacheDir);
  expect(reverted.esbuildRuns).toBe(0); // the first bundle is still in the cache
  expect(reverted.hash).toBe(first.hash);

  writeFileSync(join(dir, 'fn', 'unrelated.ts'), 'export {};\n');
  expect(synth(dir, 'cached', cacheDir).esbuildRuns).toBeGreaterThan(0);
});

test('a bundle with a source map has the same bytes wherever the synth writes, its sources named from the project root', () => {
  // esbuild names a map's sources relative to the output folder, so the same function bundled
  // into cdk.out and into a deeper folder (the tests' synth, a CI's) differed, and whichever synth
  // filled the cache first decided the asset hash every later synth deployed.
  const dir = project();
  const withMap = { ...BUNDLING, sourceMap: true, sourcesContent: false };
  const shallow = synth(dir, 'cached', mkdtempSync(join(tmpdir(), 'bundle-cache-dir-')), {
    bundling: withMap,
  });
  const deepOut = join(mkdtempSync(join(tmpdir(), 'bundle-cache-out-')), 'a', 'b', 'c');
  mkdirSync(deepOut, { recursive: true });
  const deep = synth(dir, 'cached', mkdtempSync(join(tmpdir(), 'bundle-cache-dir-')), {
    bundling: withMap,
    outdir: deepOut,
  });

  expect(deep.esbuildRuns).toBeGreaterThan(0); // bundled again, not taken from the first's cache
  expect(deep.hash).toBe(shallow.hash);
  expect(deep.mapSources).toEqual(shallow.mapSources);
  expect(shallow.mapSources).toEqual(['fn/index.ts', 'fn/greeting.ts']);
});
