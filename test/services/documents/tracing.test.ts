import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { keptAttributes, tracingSettings } from '../../../services/documents/src/tracing';
import type { DocumentsWorld } from './support/documents-world';
import { startDocumentsWorld } from './support/documents-world';

/**
 * The documents service as its container runs it (`main.ts` in its own Node.js process, tracing
 * on because OTEL_EXPORTER_OTLP_ENDPOINT names a receiver) against the end-to-end world, with a
 * local OTLP/HTTP receiver standing in for the task's collector sidecar: a request's spans reach
 * the receiver, with the tenant id, in the trace its log line names, and without personal data.
 */

const ROOT = join(__dirname, '..', '..', '..');
const MAIN = join(ROOT, 'services', 'documents', 'src', 'main.ts');
const TENANT = 'tenant-traced';
const USER_NAME = 'jane.driver@example.com';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: { key: string; value: Record<string, unknown> }[];
}

/** A stand-in for the collector sidecar: keeps every span posted to /v1/traces (OTLP/HTTP JSON). */
async function startReceiver(): Promise<{ server: Server; url: string; spans: OtlpSpan[] }> {
  const spans: OtlpSpan[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method === 'POST' && request.url === '/v1/traces') {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[];
        };
        for (const resource of body.resourceSpans)
          for (const scope of resource.scopeSpans) spans.push(...scope.spans);
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans };
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const attribute = (span: OtlpSpan, key: string) => {
  const value = span.attributes?.find((a) => a.key === key)?.value;
  return value ? Object.values(value)[0] : undefined;
};

let world: DocumentsWorld;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let service: ChildProcess;
const lines: Record<string, unknown>[] = [];
let stderr = '';

beforeAll(async () => {
  jest.spyOn(console, 'info').mockImplementation(() => undefined);
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  world = await startDocumentsWorld();
  await world.doc.send(
    new PutCommand({
      TableName: world.registryTable,
      Item: { tenantId: TENANT, lifecycleState: 'ACTIVE', version: 1 },
    }),
  );
  receiver = await startReceiver();
  const port = await freePort();
  service = spawn(process.execPath, ['--require', 'tsx/cjs', MAIN], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...world.env,
      PORT: String(port),
      // The AWS SDK's clients (the registry) go to moto, with moto's credentials.
      AWS_ENDPOINT_URL: world.moto.endpoint,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_SERVICE_NAME: 'documents',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  service.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  await new Promise<void>((resolve, reject) => {
    let buffered = '';
    service.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const complete = buffered.split('\n');
      buffered = complete.pop() ?? '';
      for (const line of complete) {
        if (!line.startsWith('{')) continue;
        const parsed = JSON.parse(line) as Record<string, unknown>;
        lines.push(parsed);
        if (String(parsed.message).startsWith('listening')) resolve();
      }
    });
    service.on('exit', (code) => reject(new Error(`service exited (${code}): ${stderr}`)));
  });
  const token = await world.pool.token(TENANT, { username: USER_NAME, email: USER_NAME });
  const response = await fetch(`http://127.0.0.1:${port}/documents`, {
    headers: {
      authorization: `Bearer ${token}`,
      // As the load balancer sends it: a root, no parent, no sampling decision.
      'x-amzn-trace-id': 'Root=1-67a0f1e2-0123456789abcdef01234567',
      connection: 'close',
    },
  });
  expect(response.status).toBe(200);
  await response.arrayBuffer();
  // SIGTERM: the service stops, closes its pool and sends its last spans before it exits.
  const exited = new Promise<number | null>((resolve) => service.on('exit', resolve));
  service.kill('SIGTERM');
  expect(await exited).toBe(0);
}, 120_000);

afterAll(async () => {
  if (service && service.exitCode === null) service.kill('SIGKILL');
  receiver?.server.closeAllConnections();
  await new Promise((resolve) => receiver?.server.close(resolve));
  await world?.stop();
  jest.restoreAllMocks();
});

it('sends the server span of a request with its tenant id and route, in the trace its log line names', () => {
  const logged = lines.find((l) => l.message === 'request' && l.route === '/documents');
  expect(logged).toMatchObject({ tenantId: TENANT, status: 200 });
  expect(logged?.traceId).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
  const server = receiver.spans.find((s) => s.kind === 2 && attribute(s, 'tenant.id') === TENANT);
  expect(server).toBeDefined();
  expect(server?.name).toBe('GET /documents');
  expect(attribute(server!, 'http.route')).toBe('/documents');
  expect(attribute(server!, 'request.id')).toBe(logged?.requestId);
  expect(`1-${server!.traceId.slice(0, 8)}-${server!.traceId.slice(8)}`).toBe(logged?.traceId);
});

it('sends the database query and the registry call as spans of the same trace', () => {
  const server = receiver.spans.find((s) => s.kind === 2 && attribute(s, 'tenant.id') === TENANT)!;
  const trace = receiver.spans.filter((s) => s.traceId === server.traceId);
  // One statement span: the list sets app.tenant_id and queries in one round trip (tenantQuery),
  // so there is no BEGIN or COMMIT; the spans without a text are the pool's connects.
  const queries = trace
    .filter((s) => attribute(s, 'db.system.name') === 'postgresql')
    .map((s) => String(attribute(s, 'db.query.text') ?? ''))
    .filter((text) => text !== '');
  expect(queries).toHaveLength(1);
  expect(queries.some((q) => q.includes('FROM app.documents'))).toBe(true);
  // Placeholders only: the tenant id bound to them is not in the query text.
  for (const query of queries) expect(query).not.toContain(TENANT);
  const registry = trace.find(
    (s) => attribute(s, 'rpc.service') === 'DynamoDB' && attribute(s, 'rpc.method') === 'GetItem',
  );
  expect(registry).toBeDefined();
});

it('sends no personal data: no user name, e-mail, token, URL or client address in any span', () => {
  expect(receiver.spans.length).toBeGreaterThan(0);
  for (const span of receiver.spans) {
    for (const { key, value } of span.attributes ?? []) {
      const text = JSON.stringify(value);
      expect(text).not.toContain(USER_NAME);
      expect(text).not.toContain(`user-of-${TENANT}`);
      expect(text).not.toContain('Bearer');
      expect(key).not.toMatch(/^(url\.|http\.(url|target|user_agent|client_ip)|client\.|user)/);
      expect(key).not.toMatch(/peer\.(ip|address)|sock\.peer/);
    }
  }
});

it('is off without a receiver or with OTEL_SDK_DISABLED, and names a malformed setting', () => {
  expect(tracingSettings({})).toBeUndefined();
  expect(
    tracingSettings({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318',
      OTEL_SDK_DISABLED: 'true',
    }),
  ).toBeUndefined();
  expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318/' })).toEqual({
    endpoint: 'http://localhost:4318',
    serviceName: 'documents',
    sampleRatio: 1,
  });
  expect(() => tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'localhost:4318' })).toThrow(
    /OTEL_EXPORTER_OTLP_ENDPOINT: .*http:\/\/localhost:4318/,
  );
  expect(() =>
    tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x:4318', OTEL_TRACES_SAMPLER_ARG: '5' }),
  ).toThrow(/OTEL_TRACES_SAMPLER_ARG: .* from 0 to 1 \(got "5"\)/);
  expect(
    keptAttributes({ 'url.full': 'x', 'http.route': '/documents', 'db.system': 'pg' }),
  ).toEqual({ 'http.route': '/documents', 'db.system': 'pg' });
});
