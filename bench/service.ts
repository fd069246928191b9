/**
 * Documents service benchmark (issue 14): the authenticated list call, GET /documents, at 50
 * concurrent connections against the embedded PostgreSQL (TLS, forced RLS, the tenant set per
 * transaction), moto for the registry and a local JWKS. Prints figures, not pass/fail.
 *
 *   npm run bench:service                       10 s per scenario
 *   SERVICE_BENCH_SECONDS=30 npm run bench:service
 *   SERVICE_BENCH_POOL=4                        the service's DB_POOL_SIZE (default 10)
 *   SERVICE_BENCH_CPU_PROF=<dir>                the service writes a V8 CPU profile there
 *   SERVICE_BENCH_ENTRY=<file>                  another service entry (e.g. a copy of a previous
 *                                               commit's src/main.ts, to compare in the same world)
 *
 * As in production, the service is its own process: its real entry (`src/main.ts`, run with
 * `node --import tsx`) configured from environment variables the way ECS configures it, its
 * registry client pointed at moto by AWS_ENDPOINT_URL_DYNAMODB and its IAM database token signed
 * with moto's credentials (PostgreSQL trusts loopback and does not check it). The load generator
 * runs in this process, a lean keep-alive HTTP/1.1 client (bench/http-load.ts), one request at a
 * time per connection. Until this split, client and server shared one event loop and the figures
 * were the sum of both. The machine's two cores are still shared by the service, PostgreSQL, the
 * load generator and whatever else runs, so the bench prints the load average at start and, per
 * request, figures the machine's other load hardly moves (from /proc): the CPU time of the
 * service, of PostgreSQL's backends and of the load generator (and the throughput two idle cores
 * would allow from them), the service's read/write system calls and PostgreSQL's wake-ups
 * (voluntary context switches of its backends, at most one per database round trip). On a shared
 * machine, compare those. The service's request log lines (one JSON line per request on
 * stdout, as in a task) are written to /dev/null.
 *
 * Scenarios: one tenant for every request; then ten tenants, the tenant switching on every
 * request (each request a different token, registry entry and app.tenant_id on the pooled
 * connection). Each token's signature is verified on its first request and kept verified until
 * its exp, as in production (a client reuses its access token for up to an hour); its claims are
 * checked on every request; registry reads are cached for 30 s as in production.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { startDocumentsWorld } from '../test/services/documents/support/documents-world';
import { load } from './http-load';

const CONNECTIONS = 50;
const SECONDS = Number(process.env.SERVICE_BENCH_SECONDS ?? 10);
const POOL_SIZE = process.env.SERVICE_BENCH_POOL ?? '10';
const ENTRY =
  process.env.SERVICE_BENCH_ENTRY ??
  join(__dirname, '..', 'services', 'documents', 'src', 'main.ts');
const TENANTS = Array.from({ length: 10 }, (_, i) => `bench-tenant-${i}`);
const DOCUMENTS_PER_TENANT = 20;
const WARM_UP_REQUESTS = 5_000;

/**
 * What a process has used: CPU seconds (user + system), read/write system calls (Node's socket
 * I/O; PostgreSQL's recv/send are not counted there) and voluntary context switches (a backend
 * sleeps once per round trip waiting for the next message).
 */
interface Usage {
  readonly cpu: number;
  readonly syscalls: number;
  readonly waits: number;
}

/** A process's usage from /proc (Linux); undefined elsewhere or once it ended. */
function usageOf(pid: number): Usage | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const io = readFileSync(`/proc/${pid}/io`, 'utf8');
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const count = (name: string) =>
      Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(io)?.[1] ?? NaN);
    return {
      cpu: (Number(fields[11]) + Number(fields[12])) / 100, // utime, stime in ticks (CLK_TCK 100)
      syscalls: count('syscr') + count('syscw'),
      waits: Number(/^voluntary_ctxt_switches:\s+(\d+)$/m.exec(status)?.[1] ?? NaN),
    };
  } catch {
    return undefined;
  }
}

/** The postmaster's usage and that of every backend it forked (the service's pool among them). */
function postgresUsage(postmaster: number): Usage | undefined {
  const own = usageOf(postmaster);
  if (!own) return undefined;
  let { cpu, syscalls, waits } = own;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== postmaster) continue;
      const backend = usageOf(Number(entry));
      cpu += backend?.cpu ?? 0;
      syscalls += backend?.syscalls ?? 0;
      waits += backend?.waits ?? 0;
    } catch {
      // the process ended meanwhile
    }
  }
  return { cpu, syscalls, waits };
}

/** Usage per request (CPU in ms): figures the machine's other load hardly moves. */
function perRequest(before: Usage | undefined, after: Usage | undefined, requests: number) {
  if (!before || !after || requests === 0) return undefined;
  return {
    cpuMs: ((after.cpu - before.cpu) * 1000) / requests,
    syscalls: (after.syscalls - before.syscalls) / requests,
    waits: (after.waits - before.waits) / requests,
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts the service's entry as its own process and waits until GET /health answers 200. */
async function startService(env: Record<string, string>, port: number): Promise<ChildProcess> {
  const profile = process.env.SERVICE_BENCH_CPU_PROF;
  const child = spawn(
    process.execPath,
    [...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []), '--import', 'tsx', ENTRY],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited !== undefined) throw new Error(`the service exited with ${exited} before serving`);
    if (Date.now() > deadline) throw new Error('the service did not answer GET /health in 30 s');
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return child;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function stopService(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function main(): Promise<void> {
  const world = await startDocumentsWorld({ cacheSeconds: 30, poolSize: Number(POOL_SIZE) });
  let serviceProcess: ChildProcess | undefined;
  try {
    const owner = await world.pg.client('documents');
    for (const tenant of TENANTS) {
      await world.doc.send(
        new PutCommand({
          TableName: world.registryTable,
          Item: { tenantId: tenant, lifecycleState: 'ACTIVE', version: 1 },
        }),
      );
      await owner.query(
        `INSERT INTO app.documents (tenant_id, document_id, kind, content_type, max_bytes, object_key, created_by)
         SELECT $1, gen_random_uuid(), 'photo', 'image/jpeg', 1000, 'tenants/' || $1 || '/documents/' || g, 'bench'
           FROM generate_series(1, $2) g`,
        [tenant, DOCUMENTS_PER_TENANT],
      );
    }
    await owner.query('ANALYZE app.documents');
    const { rows } = await owner.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const backendStat = readFileSync(`/proc/${rows[0].pid}/stat`, 'utf8');
    const postmaster = Number(backendStat.slice(backendStat.lastIndexOf(')') + 2).split(' ')[1]);
    await owner.end();
    const tokens = await Promise.all(TENANTS.map((t) => world.pool.token(t)));
    const port = await freePort();
    const moto = world.moto.clientConfig();
    serviceProcess = await startService(
      {
        ...world.env,
        PORT: String(port),
        DB_POOL_SIZE: POOL_SIZE,
        AWS_ENDPOINT_URL_DYNAMODB: moto.endpoint,
        AWS_ACCESS_KEY_ID: moto.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: moto.credentials.secretAccessKey,
        NODE_ENV: 'production',
      },
      port,
    );
    const target = { host: '127.0.0.1', port, path: '/documents', connections: CONNECTIONS };
    // Warm-up: JIT, pool connections, JWKS, registry cache of every tenant; counted in requests,
    // not seconds, so that a loaded machine does not measure a service still being optimized.
    const warmUpUntil = Date.now() + 30_000;
    for (let served = 0; served < WARM_UP_REQUESTS && Date.now() < warmUpUntil;) {
      served += (await load({ ...target, tokens, seconds: 1 })).requests;
    }
    const [one, five, fifteen] = loadavg().map((l) => l.toFixed(2));
    console.log(
      `documents service (${ENTRY}), GET /documents (${DOCUMENTS_PER_TENANT} rows per tenant), ` +
        `${CONNECTIONS} connections, DB_POOL_SIZE ${POOL_SIZE}, ${SECONDS} s each; ` +
        `load average at start ${one} ${five} ${fifteen}`,
    );
    for (const [name, set] of [
      ['one tenant', tokens.slice(0, 1)],
      ['tenant switching per request (10 tenants)', tokens],
    ] as const) {
      const at = { service: usageOf(serviceProcess!.pid!), postgres: postgresUsage(postmaster) };
      const client0 = process.cpuUsage();
      const r = await load({ ...target, tokens: set, seconds: SECONDS });
      const client = process.cpuUsage(client0);
      const clientMs = (client.user + client.system) / 1000 / Math.max(1, r.requests);
      const service = perRequest(at.service, usageOf(serviceProcess!.pid!), r.requests);
      const postgres = perRequest(at.postgres, postgresUsage(postmaster), r.requests);
      const f = (v: number | undefined, digits: number) => v?.toFixed(digits) ?? 'n/a';
      const capacity =
        service && postgres
          ? (2000 / (service.cpuMs + postgres.cpuMs + clientMs)).toFixed(0)
          : 'n/a';
      console.log(
        `  ${name.padEnd(44)} ${r.perSecond.toFixed(0).padStart(6)} req/s   p50 ${r.p50.toFixed(1)} ms   p99 ${r.p99.toFixed(1)} ms   (${r.requests} requests, ${r.errors} errors)\n` +
          `    CPU per request: service ${f(service?.cpuMs, 2)} ms, PostgreSQL ${f(postgres?.cpuMs, 2)} ms, load generator ${clientMs.toFixed(2)} ms ` +
          `(two idle cores would serve at most ~${capacity} req/s)\n` +
          `    per request: service read/write system calls ${f(service?.syscalls, 1)}, PostgreSQL backend wake-ups ${f(postgres?.waits, 1)}`,
      );
    }
  } finally {
    if (serviceProcess) await stopService(serviceProcess);
    await world.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
