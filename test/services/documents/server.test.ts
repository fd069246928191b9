import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ConfigError, readConfig } from '../../../services/documents/src/config';
import { health } from '../../../services/documents/src/handlers/health';
import type { Route } from '../../../services/documents/src/http';
import { routes } from '../../../services/documents/src/routes';
import { createServer } from '../../../services/documents/src/server';

const HEALTHCHECK = join(
  __dirname,
  '..',
  '..',
  '..',
  'services',
  'documents',
  'src',
  'healthcheck.ts',
);

const ENV = {
  TOKEN_ISSUER: 'https://cognito-idp.ap-southeast-2.amazonaws.com/ap-southeast-2_Tenants',
  TOKEN_CLIENT_IDS: 'mobile,web',
  REGISTRY_TABLE: 'logistics-prod-tenant-registry',
  DB_HOST: 'app.cluster-abc.ap-southeast-2.rds.amazonaws.com',
  DB_NAME: 'postgres',
  DB_CA_FILE: '/app/rds-ca.pem',
  FILES_BUCKET: 'logistics-prod-apse2-files',
  TENANT_CREDENTIALS_FUNCTION: 'prod-apse2-Storage-TenantSessionVending1A2B3C-abc',
  AWS_REGION: 'ap-southeast-2',
};

/** Only the health route, as the container health check needs it. */
const HEALTH_ONLY: readonly Route[] = [{ method: 'GET', path: '/health', handler: health }];

describe('configuration', () => {
  test('defaults: port 8443, JWKS of the issuer, app_user, cache 30 s, pool 10', () => {
    const config = readConfig(ENV);
    expect(config).toMatchObject({
      port: 8443,
      token: {
        issuer: ENV.TOKEN_ISSUER,
        clientIds: ['mobile', 'web'],
        jwksUrl: `${ENV.TOKEN_ISSUER}/.well-known/jwks.json`,
      },
      registry: { table: ENV.REGISTRY_TABLE, cacheSeconds: 30 },
      database: { host: ENV.DB_HOST, port: 5432, user: 'app_user', poolSize: 10 },
      files: { bucket: ENV.FILES_BUCKET, region: 'ap-southeast-2' },
    });
    expect(config.tls).toBeUndefined();
    expect(
      readConfig({ ...ENV, PORT: '8080', TLS_CERT_FILE: '/c', TLS_KEY_FILE: '/k' }),
    ).toMatchObject({ port: 8080, tls: { certFile: '/c', keyFile: '/k' } });
  });

  test('every problem at once, naming the variable and the fix', () => {
    let error: unknown;
    try {
      readConfig({
        ...ENV,
        PORT: 'eighty',
        TLS_CERT_FILE: '/c',
        DB_CA_FILE: '',
        TOKEN_ISSUER: 'http://x',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      expect.stringMatching(/^PORT is "eighty": set it to TCP port/),
      expect.stringMatching(
        /^TLS_KEY_FILE is not set: set TLS_CERT_FILE and TLS_KEY_FILE together/,
      ),
      expect.stringMatching(/^TOKEN_ISSUER is "http:\/\/x": set it to the tenant pool issuer/),
      expect.stringMatching(/^DB_CA_FILE is not set: set it to PEM file of the RDS CA bundle/),
    ]);
    expect(() => readConfig({ ...ENV, PORT: '70000' })).toThrow(/PORT is "70000"/);
    expect(() => readConfig({})).toThrow(/TOKEN_ISSUER is not set[\s\S]*AWS_REGION is not set/);
  });
});

describe('over HTTP on loopback', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer({}, [
      ...HEALTH_ONLY,
      {
        method: 'GET',
        path: '/broken',
        handler: () => {
          throw new Error('boom');
        },
      },
    ]);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  test('GET /health answers 200 with JSON', async () => {
    const response = await fetch(`${base}/health?probe=1`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  test.each([
    ['GET', '/'],
    ['POST', '/health'],
    ['DELETE', '/documents/1'],
  ])('%s %s answers 404, never 501', async (method, path) => {
    const response = await fetch(`${base}${path}`, { method });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'NOT_FOUND', message: 'no such route' });
  });

  test('a handler that throws answers 500 without its message', async () => {
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const response = await fetch(`${base}/broken`);
    expect(response.status).toBe(500);
    expect(JSON.stringify(await response.json())).not.toContain('boom');
    spy.mockRestore();
  });
});

test('the only routes are the ones that exist (no placeholder route)', () => {
  const deps = {} as Parameters<typeof routes>[0];
  expect(routes(deps).map((r) => `${r.method} ${r.path}`)).toEqual([
    'GET /health',
    'GET /documents',
    'POST /documents',
    'GET /documents/{documentId}/download',
  ]);
});

describe('over HTTPS, as in the container', () => {
  const run = promisify(execFile);
  let dir: string;
  let server: Server;
  let port: number;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'documents-tls-'));
    const files = { certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem') };
    try {
      await run('openssl', [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=test',
        '-keyout',
        files.keyFile,
        '-out',
        files.certFile,
      ]);
    } catch (error) {
      throw new Error(
        `openssl is needed (the image uses it): apt-get install openssl. ${String(error)}`,
      );
    }
    server = createServer({ tls: files }, HEALTH_ONLY);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const healthcheck = (env: Record<string, string>) =>
    run(process.execPath, [require.resolve('tsx/cli'), HEALTHCHECK], {
      env: { PATH: process.env.PATH ?? '', ...env },
    }).then(
      () => 0,
      (error: { code?: number }) => error.code ?? -1,
    );

  test('the container health check passes against the HTTPS server with the image environment', async () => {
    const code = await healthcheck({
      PORT: String(port),
      TLS_CERT_FILE: join(dir, 'cert.pem'),
      TLS_KEY_FILE: join(dir, 'key.pem'),
    });
    expect(code).toBe(0);
  });

  test('and fails without the TLS settings (plain HTTP to an HTTPS server)', async () => {
    expect(await healthcheck({ PORT: String(port) })).toBe(1);
  });
});
