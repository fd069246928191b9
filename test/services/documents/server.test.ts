import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ConfigError, readConfig } from '../../../services/documents/src/config';
import { ROUTES } from '../../../services/documents/src/routes';
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

describe('configuration', () => {
  test('defaults to port 8443 over plain HTTP when no certificate is given', () => {
    expect(readConfig({})).toEqual({ port: 8443 });
    expect(readConfig({ PORT: '8080', TLS_CERT_FILE: '/c', TLS_KEY_FILE: '/k' })).toEqual({
      port: 8080,
      tls: { certFile: '/c', keyFile: '/k' },
    });
  });

  test('every problem at once, naming the variable and the fix', () => {
    let error: unknown;
    try {
      readConfig({ PORT: 'eighty', TLS_CERT_FILE: '/c' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      expect.stringMatching(/^PORT is "eighty": set it to TCP port/),
      expect.stringMatching(
        /^TLS_KEY_FILE is not set: set TLS_CERT_FILE and TLS_KEY_FILE together/,
      ),
    ]);
    expect(() => readConfig({ PORT: '70000' })).toThrow(/PORT is "70000"/);
  });
});

describe('over HTTP on loopback', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer({ port: 0 }, [
      ...ROUTES,
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
    ['GET', '/documents'],
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
  expect(ROUTES.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /health']);
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
    server = createServer({ port: 0, tls: files }, ROUTES);
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
