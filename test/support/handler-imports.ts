import { buildSync } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './cloud-assembly';

/** What a function's handler reaches, read from the files its bundle is built from. */
export interface HandlerReach {
  /** The AWS SDK packages it imports (`@aws-sdk/...`). */
  readonly sdkPackages: readonly string[];
  /** The AWS services of those clients, by their signing name (`sqs`, `cognito-idp`, ...). */
  readonly services: readonly string[];
  /** Whether it talks to PostgreSQL (imports `pg` or `@aws-sdk/rds-signer`). */
  readonly usesDatabase: boolean;
}

const cache = new Map<string, HandlerReach>();

/** The signing name in a client package's auth scheme: its endpoint prefix for these services. */
function signingName(pkg: string): string | undefined {
  const file = join(ROOT, 'node_modules', pkg, 'dist-cjs', 'index.js');
  if (!existsSync(file)) return undefined;
  return /signingProperties:\s*\{\s*name:\s*"([a-z0-9-]+)"/.exec(readFileSync(file, 'utf8'))?.[1];
}

/** A document client (`@aws-sdk/lib-*`) stands for the clients it wraps. */
function clientsOf(pkg: string): string[] {
  if (!pkg.startsWith('@aws-sdk/lib-')) return [pkg];
  const manifest = JSON.parse(
    readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8'),
  ) as { peerDependencies?: Record<string, string>; dependencies?: Record<string, string> };
  return Object.keys({ ...manifest.peerDependencies, ...manifest.dependencies }).filter((d) =>
    d.startsWith('@aws-sdk/client-'),
  );
}

/**
 * `lambda/<name>/index.ts` and everything it imports, resolved by esbuild as the bundler does
 * (the AWS SDK left external, as the runtime provides it): the SDK clients and the database.
 */
export function handlerReach(name: string): HandlerReach {
  const known = cache.get(name);
  if (known) return known;
  const result = buildSync({
    absWorkingDir: ROOT,
    entryPoints: [join(ROOT, 'lambda', name, 'index.ts')],
    bundle: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
    platform: 'node',
    outfile: 'index.js',
    external: ['@aws-sdk/*', 'pg-native'],
  });
  const inputs = result.metafile.inputs;
  const sdkPackages = [
    ...new Set(
      Object.values(inputs).flatMap((input) =>
        input.imports
          .filter((i) => i.external && i.path.startsWith('@aws-sdk/'))
          .map((i) => i.path.split('/').slice(0, 2).join('/')),
      ),
    ),
  ].sort();
  const services = [
    ...new Set(
      sdkPackages
        .flatMap(clientsOf)
        .map(signingName)
        .filter((s): s is string => s !== undefined),
    ),
  ].sort();
  const usesDatabase =
    sdkPackages.includes('@aws-sdk/rds-signer') ||
    Object.keys(inputs).some((file) => /(^|\/)node_modules\/pg\//.test(file));
  const reach = { sdkPackages, services, usesDatabase };
  cache.set(name, reach);
  return reach;
}
