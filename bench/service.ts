/**
 * Documents service benchmark (issue 14): the authenticated list call, GET /documents, at 50
 * concurrent connections against the embedded PostgreSQL (TLS, forced RLS, SET LOCAL per
 * transaction), moto for the registry and a local JWKS. Prints figures, not pass/fail.
 *
 *   npm run bench:service                       10 s per scenario
 *   SERVICE_BENCH_SECONDS=30 npm run bench:service
 *
 * Scenarios: one tenant for every request; then ten tenants, the tenant switching on every
 * request (each request a different token, registry entry and app.tenant_id on the pooled
 * connection). Every token is verified (signature and claims) on every request; registry reads
 * are cached for 30 s as in production. The load generator runs in the same process as the
 * service, so both share the machine's two cores with whatever else runs on it.
 */
import { Agent } from 'node:http';
import { request } from 'node:http';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { startDocumentsWorld } from '../test/services/documents/support/documents-world';

const CONNECTIONS = 50;
const SECONDS = Number(process.env.SERVICE_BENCH_SECONDS ?? 10);
const TENANTS = Array.from({ length: 10 }, (_, i) => `bench-tenant-${i}`);
const DOCUMENTS_PER_TENANT = 20;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function run(base: URL, tokens: string[], seconds: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const deadline = performance.now() + seconds * 1000;
  const one = (token: string) =>
    new Promise<number>((resolve, reject) => {
      const started = performance.now();
      const req = request(
        {
          host: base.hostname,
          port: base.port,
          path: '/documents',
          agent,
          headers: { authorization: `Bearer ${token}` },
        },
        (res) => {
          res.resume();
          res.on('end', () =>
            res.statusCode === 200
              ? resolve(performance.now() - started)
              : reject(new Error(String(res.statusCode))),
          );
        },
      );
      req.on('error', reject);
      req.end();
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < deadline) {
        const token = tokens[next++ % tokens.length];
        try {
          latencies.push(await one(token));
        } catch {
          errors += 1;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    perSecond: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

async function main(): Promise<void> {
  const log = console.warn;
  const info = console.info;
  // The service's request and refusal logs (one JSON line per request, to stdout as in a task):
  // dropped here, so that the figures are the service's and not the terminal's.
  console.warn = () => undefined;
  console.info = () => undefined;
  const world = await startDocumentsWorld({ cacheSeconds: 30, poolSize: 10 });
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
    await owner.end();
    const tokens = await Promise.all(TENANTS.map((t) => world.pool.token(t)));
    const base = new URL(world.base);
    await run(base, tokens.slice(0, 1), 2); // warm-up: JIT, pool connections, JWKS, registry cache
    await run(base, tokens, 1);
    log(
      `documents service, GET /documents (${DOCUMENTS_PER_TENANT} rows per tenant), ${CONNECTIONS} connections, ${SECONDS} s each`,
    );
    for (const [name, set] of [
      ['one tenant', tokens.slice(0, 1)],
      ['tenant switching per request (10 tenants)', tokens],
    ] as const) {
      const r = await run(base, [...set], SECONDS);
      log(
        `  ${name.padEnd(44)} ${r.perSecond.toFixed(0).padStart(6)} req/s   p50 ${r.p50.toFixed(1)} ms   p99 ${r.p99.toFixed(1)} ms   (${r.requests} requests, ${r.errors} errors)`,
      );
    }
  } finally {
    await world.stop();
    console.warn = log;
    console.info = info;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
