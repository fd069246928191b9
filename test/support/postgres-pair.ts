import type { ChildProcess } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from './free-port';
import { binDir, runAs, waitForReady } from './postgres';

/**
 * Two real PostgreSQL servers as the two regions of a global database: `a` starts as the writer,
 * `b` as its streaming standby (read-only, `pg_is_in_recovery()` true). `failover()` moves the
 * writer as Aurora's switchover does: it waits until `b` has replayed everything `a` committed
 * (no write lost, however far the standby lags on a loaded machine), then `b` is promoted and `a`
 * restarts as a standby of nothing (read-only, in recovery), as an old primary rejoins as a
 * secondary.
 */
export interface PostgresPair {
  readonly a: PairMember;
  readonly b: PairMember;
  failover(): Promise<void>;
  stop(): Promise<void>;
}

export interface PairMember {
  readonly port: number;
  readonly host: string;
  client(): Promise<Client>;
}

const USER = 'postgres';

class Server implements PairMember {
  readonly host = '127.0.0.1';
  private child?: ChildProcess;
  private output = '';
  constructor(
    private readonly base: string,
    readonly dataDir: string,
    readonly port: number,
  ) {}

  async start(): Promise<void> {
    this.output = '';
    const child = spawn(
      join(binDir(), 'postgres'),
      ['-D', this.dataDir, '-p', String(this.port), '-h', this.host, '-k', this.base],
      { ...runAs(), cwd: this.base, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.on('data', (d) => (this.output += d));
    child.stderr?.on('data', (d) => (this.output += d));
    this.child = child;
    await waitForReady(this.port, USER, child, () => this.output);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      await exited;
    }
  }

  async client(): Promise<Client> {
    const client = new Client({
      host: this.host,
      port: this.port,
      user: USER,
      database: 'postgres',
    });
    await client.connect();
    return client;
  }
}

function asServerUser(path: string): void {
  const { uid, gid } = runAs();
  if (uid !== undefined) spawnSync('chown', ['-R', `${uid}:${gid}`, path]);
}

export async function startPostgresPair(): Promise<PostgresPair> {
  const base = mkdtempSync(join(tmpdir(), 'pg-pair-'));
  chmodSync(base, 0o777);
  const dirA = join(base, 'a');
  const dirB = join(base, 'b');
  const init = spawnSync(
    join(binDir(), 'initdb'),
    ['-D', dirA, '-U', USER, '--auth=trust', '--encoding=UTF8', '--no-sync'],
    { ...runAs(), encoding: 'utf8', cwd: base },
  );
  if (init.status !== 0) throw new Error(`initdb failed:\n${init.stdout}${init.stderr}`);
  appendFileSync(join(dirA, 'postgresql.conf'), '\nfsync = off\nwal_level = replica\n');
  const a = new Server(base, dirA, await freePort());
  const b = new Server(base, dirB, await freePort());
  // A clean shutdown leaves a consistent copy that can stream from the primary's next WAL.
  await a.start();
  await a.stop();
  cpSync(dirA, dirB, { recursive: true });
  writeFileSync(join(dirB, 'standby.signal'), '');
  appendFileSync(
    join(dirB, 'postgresql.auto.conf'),
    `primary_conninfo = 'host=127.0.0.1 port=${a.port} user=${USER}'\n`,
  );
  asServerUser(dirB);
  chmodSync(dirB, 0o700);
  await a.start();
  await b.start();
  return {
    a,
    b,
    async failover() {
      const writer = await a.client();
      const client = await b.client();
      try {
        const { rows } = await writer.query<{ lsn: string }>('SELECT pg_current_wal_lsn() AS lsn');
        const deadline = Date.now() + 30_000;
        for (;;) {
          const replayed = await client.query<{ done: boolean }>(
            'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done',
            [rows[0]!.lsn],
          );
          if (replayed.rows[0]?.done) break;
          if (Date.now() > deadline) throw new Error('the standby did not catch up in 30 s');
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        await client.query('SELECT pg_promote(true, 30)');
      } finally {
        await Promise.all([client.end(), writer.end()]);
      }
      await a.stop();
      writeFileSync(join(dirA, 'standby.signal'), '');
      asServerUser(join(dirA, 'standby.signal'));
      await a.start();
    },
    async stop() {
      await Promise.all([a.stop(), b.stop()]);
      rmSync(base, { recursive: true, force: true });
    },
  };
}
