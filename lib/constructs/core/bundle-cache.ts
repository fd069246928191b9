import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { BundlingOptions, ILocalBundling } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { buildSync, type Loader, version as esbuildVersion } from 'esbuild';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Construct } from 'constructs';

export interface CachedBundleProps {
  /** The entry file (absolute). */
  readonly entry: string;
  readonly runtime: lambda.Runtime;
  readonly architecture: lambda.Architecture;
  /** The `NodejsFunction` bundling options, passed to its bundler unchanged. */
  readonly bundling: nodejs.BundlingOptions;
  /** The lock file; its folder is the project root esbuild runs in. */
  readonly depsLockFilePath: string;
  /**
   * Where bundles are kept, one folder per entry, bundler command and sources.
   * @default node_modules/.cache/lambda-bundles under the project root
   */
  readonly cacheDir?: string;
}

/**
 * The code of a `NodejsFunction`, bundled by aws-cdk-lib's own bundler (the same esbuild command,
 * so the same output and asset hash; a source map's sources are then named from the project root,
 * see nameSourcesFromProjectRoot), but run only when no earlier synth bundled the same thing.
 *
 * A bundle is reused when all of these are unchanged: the esbuild version, the bundler command
 * (every option: target, minify, source maps, externals...), the entry, the lock file, and the
 * content of every file esbuild read for it (found with esbuild's metafile) together with the
 * names in each project folder it read from (a new file may change what an import resolves to).
 * Use it as `new NodejsFunction(scope, id, { code: cachedBundle(...), handler: 'index.handler' })`.
 */
export function cachedBundle(scope: Construct, props: CachedBundleProps): lambda.Code {
  const projectRoot = dirname(resolve(props.depsLockFilePath));
  const code = nodejsBundler().bundle(scope, {
    ...props.bundling,
    // The bundler's own build lists what it read (the cache's manifest); the file is removed from
    // the output before the asset is hashed, so the asset is the same as without it.
    metafile: true,
    entry: props.entry,
    runtime: props.runtime,
    architecture: props.architecture,
    depsLockFilePath: resolve(props.depsLockFilePath),
    projectRoot,
  });
  const bundling = (code as unknown as { options?: { bundling?: BundlingOptions } }).options
    ?.bundling as (BundlingOptions & { local?: ILocalBundling; externals?: string[] }) | undefined;
  const local = bundling?.local;
  if (!bundling || !local) return code; // Docker bundling: nothing local to cache
  const cache = new BundleCache(
    props.cacheDir ?? join(projectRoot, 'node_modules', '.cache', 'lambda-bundles'),
    projectRoot,
  );
  const key = cache.keyOf({
    entry: relative(projectRoot, resolve(props.entry)),
    command: bundling.command,
    lockFile: props.depsLockFilePath,
  });
  bundling.local = {
    tryBundle: (outputDir, options) => {
      if (cache.restore(key, outputDir)) return true;
      const bundled = local.tryBundle(outputDir, options);
      if (bundled) nameSourcesFromProjectRoot(outputDir, projectRoot);
      return cache.store(key, outputDir, props, bundling.externals, bundled);
    },
  };
  return code;
}

/**
 * esbuild names a source map's sources relative to the folder it writes to, so the same bundle
 * written under cdk.out and under a deeper folder (the tests' synth, a CI workspace) had two
 * contents and two asset hashes, and the cache handed whichever came first to every later synth.
 * Renamed relative to the project root (`lambda/<function>/index.ts`), the bundle is the same
 * bytes wherever it is written; in the Lambda runtime a stack trace then names
 * `/var/task/lambda/<function>/index.ts`. A source outside the project root (a linked
 * node_modules) keeps a `../` path from the root.
 */
const SOURCE_NAMES = 'from-project-root'; // part of the key: bundles cached before have other names

function nameSourcesFromProjectRoot(outputDir: string, projectRoot: string): void {
  for (const file of readdirSync(outputDir).filter((f) => f.endsWith('.map'))) {
    const path = join(outputDir, file);
    const map = JSON.parse(readFileSync(path, 'utf8')) as {
      sources?: string[];
      sourceRoot?: string;
    };
    if (!map.sources) continue;
    const root = resolve(outputDir, map.sourceRoot ?? '');
    map.sources = map.sources.map((source) =>
      relative(projectRoot, resolve(root, source)).split(sep).join('/'),
    );
    delete map.sourceRoot;
    writeFileSync(path, JSON.stringify(map));
  }
}

/** aws-cdk-lib's `NodejsFunction` bundler (not exported; its file sits next to the function). */
function nodejsBundler(): {
  bundle(scope: Construct, options: Record<string, unknown>): lambda.AssetCode;
} {
  const root = dirname(require.resolve('aws-cdk-lib/package.json'));
  const load = createRequire(__filename);
  const module = load(join(root, 'aws-lambda-nodejs', 'lib', 'bundling.js')) as {
    Bundling: { bundle(scope: Construct, options: Record<string, unknown>): lambda.AssetCode };
  };
  return module.Bundling;
}

/** The metafile the bundler writes beside the bundle (`metafile: true`). */
const METAFILE = 'index.meta.json';

interface Metafile {
  readonly inputs: Record<string, unknown>;
}

interface Manifest {
  /** Every file esbuild read, relative to the project root, with its SHA-256. */
  readonly inputs: Record<string, string | null>;
  /** The sorted entries of every project folder an input sits in. */
  readonly folders: Record<string, string[]>;
}

/** Bundles on disk: `<key>/<sources digest>/` holds `manifest.json` and the bundle in `out/`. */
class BundleCache {
  constructor(
    private readonly dir: string,
    private readonly projectRoot: string,
  ) {}

  keyOf(parts: { entry: string; command?: string[]; lockFile: string }): string {
    return createHash('sha256')
      .update(
        JSON.stringify({
          esbuild: esbuildVersion,
          entry: parts.entry,
          command: parts.command,
          sources: SOURCE_NAMES,
        }),
      )
      .update('\n')
      .update(readFileSync(parts.lockFile))
      .digest('hex');
  }

  /** Copies a bundle whose sources are all unchanged into `outputDir`; false when none is. */
  restore(key: string, outputDir: string): boolean {
    const entryDir = join(this.dir, key);
    if (!existsSync(entryDir)) return false;
    for (const version of readdirSync(entryDir)) {
      const manifestFile = join(entryDir, version, 'manifest.json');
      if (!existsSync(manifestFile)) continue;
      const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
      if (this.matches(manifest)) {
        cpSync(join(entryDir, version, 'out'), outputDir, { recursive: true });
        return true;
      }
    }
    return false;
  }

  /** Keeps what the bundler wrote to `outputDir`, keyed by the sources it read. */
  store(
    key: string,
    outputDir: string,
    props: CachedBundleProps,
    externals: readonly string[] | undefined,
    bundled: boolean,
  ): boolean {
    if (!bundled) return false;
    const metafile = join(outputDir, METAFILE);
    const manifest = existsSync(metafile)
      ? this.manifestFrom(
          Object.keys((JSON.parse(readFileSync(metafile, 'utf8')) as Metafile).inputs),
        )
      : this.manifestOf(props, externals ?? []);
    rmSync(metafile, { force: true });
    const version = createHash('sha256').update(JSON.stringify(manifest)).digest('hex');
    const target = join(this.dir, key, version);
    if (existsSync(target)) return true;
    const temporary = `${target}.${process.pid}.tmp`;
    rmSync(temporary, { recursive: true, force: true });
    mkdirSync(temporary, { recursive: true });
    cpSync(outputDir, join(temporary, 'out'), { recursive: true });
    writeFileSync(join(temporary, 'manifest.json'), JSON.stringify(manifest));
    try {
      renameSync(temporary, target);
    } catch {
      rmSync(temporary, { recursive: true, force: true }); // another synth stored it first
    }
    return true;
  }

  private matches(manifest: Manifest): boolean {
    return (
      Object.entries(manifest.inputs).every(([file, hash]) => this.hashOf(file) === hash) &&
      Object.entries(manifest.folders).every(
        ([folder, names]) => JSON.stringify(this.namesIn(folder)) === JSON.stringify(names),
      )
    );
  }

  /**
   * The files esbuild reads for the entry, by a metafile-only build with the same resolution: only
   * when the bundler wrote no metafile of its own.
   */
  private manifestOf(props: CachedBundleProps, externals: readonly string[]): Manifest {
    const result = buildSync({
      absWorkingDir: this.projectRoot,
      entryPoints: [resolve(props.entry)],
      bundle: true,
      write: false,
      metafile: true,
      logLevel: 'silent',
      platform: 'node',
      outfile: 'index.js',
      format: props.bundling.format,
      mainFields: props.bundling.mainFields,
      loader: props.bundling.loader as Record<string, Loader> | undefined,
      tsconfig: props.bundling.tsconfig,
      external: [...externals], // as the bundler's command: external modules are not in the bundle
    });
    return this.manifestFrom(Object.keys(result.metafile?.inputs ?? {}));
  }

  /** The manifest of the files of an esbuild metafile's inputs (relative to the project root). */
  private manifestFrom(metafileInputs: string[]): Manifest {
    const files = metafileInputs
      .filter((f) => !f.includes(':')) // esbuild's virtual modules
      .sort();
    const inputs = Object.fromEntries(files.map((f) => [f, this.hashOf(f)]));
    const projectFolders = [
      ...new Set(files.filter((f) => !f.includes('node_modules')).map((f) => dirname(f))),
    ].sort();
    const folders = Object.fromEntries(projectFolders.map((d) => [d, this.namesIn(d)]));
    return { inputs, folders };
  }

  private hashOf(file: string): string | null {
    const path = join(this.projectRoot, file);
    if (!existsSync(path)) return null;
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  }

  private namesIn(folder: string): string[] {
    const path = join(this.projectRoot, folder);
    return existsSync(path) ? readdirSync(path).sort() : [];
  }
}
