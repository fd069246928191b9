import { PutObjectTaggingCommand } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { readConfig } from '../../../services/documents/src/config';
import { createPool } from '../../../services/documents/src/db/database';
import { lambdaInvoker } from '../../../services/documents/src/files/lambda-invoke';
import { SCAN_TAG } from '../../../services/documents/src/files/scan-status';
import type { SessionCredentials } from '../../../services/documents/src/files/sigv4';
import { TenantCredentials } from '../../../services/documents/src/files/tenant-credentials';
import type { DocumentsWorld } from './support/documents-world';
import { startDocumentsWorld, superuser, VENDING_FUNCTION } from './support/documents-world';

/**
 * The documents service end to end, over HTTP: the service's real modules against PostgreSQL
 * with TLS (bootstrap, migration, forced RLS), moto (S3, DynamoDB registry, STS), a local
 * JWKS and the token-vending function's real core behind a local Lambda Invoke API. Tenants: A and B active with the default settings, C deactivated, D active without the
 * documents module, E active with signatures only.
 */
let world: DocumentsWorld;
const A = 'tenant-a';
const B = 'tenant-b';

async function register(tenantId: string, extra: Record<string, unknown> = {}) {
  await world.doc.send(
    new PutCommand({
      TableName: world.registryTable,
      Item: { tenantId, lifecycleState: 'ACTIVE', version: 1, ...extra },
    }),
  );
}

async function call(method: string, path: string, token?: string, body?: unknown) {
  const response = await fetch(`${world.base}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON replies, asserted field by field
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

/** The upload a mobile app makes with the form the service answered. */
async function upload(
  form: { url: string; fields: Record<string, string> },
  bytes: Buffer,
  type: string,
) {
  const data = new FormData();
  for (const [name, value] of Object.entries(form.fields)) data.append(name, value);
  data.append('file', new Blob([bytes], { type }), 'file');
  return fetch(form.url, { method: 'POST', body: data });
}

/** What GuardDuty Malware Protection for S3 does after scanning an object. */
async function scanned(key: string, status: string) {
  await world.s3.send(
    new PutObjectTaggingCommand({
      Bucket: world.bucket,
      Key: key,
      Tagging: { TagSet: [{ Key: SCAN_TAG, Value: status }] },
    }),
  );
}

let warn: jest.SpyInstance;
let info: jest.SpyInstance;
beforeAll(async () => {
  warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  info = jest.spyOn(console, 'info').mockImplementation(() => undefined);
  world = await startDocumentsWorld();
  await register(A);
  await register(B);
  await register('tenant-c', {
    lifecycleState: 'DEACTIVATED',
    deactivatedAt: '2026-11-01T00:00:00.000Z',
  });
  await register('tenant-d', {
    settings: { schemaVersion: 1, plan: 'starter', modules: ['tracking'] },
  });
  await register('tenant-e', {
    settings: {
      schemaVersion: 1,
      plan: 'standard',
      modules: ['documents'],
      documents: { kinds: ['signature'] },
    },
  });
}, 120_000);
afterAll(async () => {
  warn.mockRestore();
  info.mockRestore();
  await world?.stop();
});

describe('tenant A uploads, lists and downloads its file', () => {
  const photo = Buffer.from('\xff\xd8\xff\xe0 a photo of a delivered pallet', 'binary');
  let documentId: string;
  let key: string;

  test('POST /documents answers an upload form for the tenant folder, signed by a tenant session', async () => {
    const token = await world.pool.token(A);
    const created = await call('POST', '/documents', token, {
      kind: 'photo',
      contentType: 'image/jpeg',
      fileName: 'pallet 1.jpg',
    });
    expect(created.status).toBe(201);
    documentId = created.body.document.documentId;
    key = created.body.document.objectKey;
    expect(key).toBe(`tenants/${A}/documents/${documentId}`);
    const { fields } = created.body.upload;
    expect(fields).toMatchObject({ key, 'Content-Type': 'image/jpeg' });
    const policy = JSON.parse(Buffer.from(fields.policy, 'base64').toString('utf8'));
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ['eq', '$key', key],
        ['eq', '$Content-Type', 'image/jpeg'],
        ['content-length-range', 1, 15 * 1024 * 1024],
      ]),
    );
    // The form is signed by an STS session (temporary key and token), not by the service's role.
    expect(fields['x-amz-credential']).toMatch(
      /^[A-Z0-9]+\/\d{8}\/ap-southeast-2\/s3\/aws4_request$/,
    );
    expect(fields['x-amz-security-token']).toBeTruthy();
    // ...vended by the token-vending function for the caller's own token, naming no tenant.
    expect(world.vending.requests.at(-1)).toEqual({ token });

    const response = await upload(created.body.upload, photo, 'image/jpeg');
    expect(response.status).toBeLessThan(300);
  });

  test('GET /documents lists it', async () => {
    const listed = await call('GET', '/documents', await world.pool.token(A));
    expect(listed.status).toBe(200);
    expect(listed.body.documents).toEqual([
      expect.objectContaining({
        documentId,
        kind: 'photo',
        contentType: 'image/jpeg',
        fileName: 'pallet 1.jpg',
      }),
    ]);
  });

  test('the file is not served before the malware scan, nor after a scan that found threats', async () => {
    const token = await world.pool.token(A);
    const pending = await call('GET', `/documents/${documentId}/download`, token);
    expect(pending).toMatchObject({ status: 409, body: { error: 'SCAN_PENDING' } });
    expect(JSON.stringify(pending.body)).not.toContain('X-Amz-Signature');
    await scanned(key, 'THREATS_FOUND');
    const infected = await call('GET', `/documents/${documentId}/download`, token);
    expect(infected).toMatchObject({
      status: 403,
      body: { error: 'SCAN_NOT_CLEAN', scanStatus: 'THREATS_FOUND' },
    });
    expect(JSON.stringify(infected.body)).not.toContain('X-Amz-Signature');
  });

  test('after a clean scan, GET /documents/{id}/download answers a URL that returns the file', async () => {
    await scanned(key, 'NO_THREATS_FOUND');
    const download = await call(
      'GET',
      `/documents/${documentId}/download`,
      await world.pool.token(A),
    );
    expect(download.status).toBe(200);
    expect(download.body.url).toContain(`/${world.bucket}/${key}?`);
    expect(download.body.url).toContain('X-Amz-Security-Token=');
    const file = await fetch(download.body.url);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer())).toEqual(photo);
  });

  test('a registered document not uploaded yet is not served', async () => {
    const token = await world.pool.token(A);
    const created = await call('POST', '/documents', token, {
      kind: 'manifest',
      contentType: 'application/pdf',
    });
    expect(created.status).toBe(201);
    const download = await call(
      'GET',
      `/documents/${created.body.document.documentId}/download`,
      token,
    );
    expect(download).toMatchObject({ status: 409, body: { error: 'NOT_UPLOADED' } });
  });

  test("tenant B's token neither sees nor fetches A's document", async () => {
    const token = await world.pool.token(B);
    const listed = await call('GET', '/documents', token);
    expect(listed).toEqual({ status: 200, body: { documents: [] } });
    const fetched = await call('GET', `/documents/${documentId}/download`, token);
    expect(fetched).toMatchObject({ status: 404, body: { error: 'DOCUMENT_NOT_FOUND' } });
    // A tenant named anywhere but the token's claim is ignored.
    const spoofed = await call('GET', `/documents/${documentId}/download?tenant_id=${A}`, token);
    expect(spoofed.status).toBe(404);
    const created = await call('POST', '/documents', token, {
      kind: 'signature',
      contentType: 'image/png',
      tenantId: A,
    });
    expect(created.body.document.objectKey).toMatch(new RegExp(`^tenants/${B}/documents/`));
    expect(world.vending.requests.at(-1)).toEqual({ token });
  });
});

describe('tenant sessions come from the vending function, for the token presented', () => {
  /** The service's client of the vending function, as main.ts builds it (new cache each time). */
  const client = () => ({
    invoke: lambdaInvoker({
      functionName: VENDING_FUNCTION,
      region: 'ap-southeast-2',
      endpoint: world.vending.endpoint,
      credentials: async () => world.moto.clientConfig().credentials,
    }),
  });
  const whoIs = async (session: SessionCredentials) =>
    (
      await new STSClient({ ...world.moto.clientConfig(), credentials: session }).send(
        new GetCallerIdentityCommand({}),
      )
    ).Arn;

  test("a token of tenant B yields B's session, whatever tenant the request names", async () => {
    const tokenB = await world.pool.token(B);
    const session = await new TenantCredentials(client().invoke).forCaller({
      tenantId: B,
      accessToken: tokenB,
    });
    expect(await whoIs(session)).toBe(
      `arn:aws:sts::123456789012:assumed-role/prod-apse2-Storage-tenant-session/tenant-${B}`,
    );
    // The function takes the tenant from the verified token only: a tenant in the request is ignored.
    const answer = (await client().invoke({ token: tokenB, tenantId: A })) as Record<
      string,
      unknown
    >;
    expect(answer).toMatchObject({ ok: true, tenantId: B });
  });

  test("the service cannot obtain A's session with B's token: the answer for B is refused", async () => {
    const tokenB = await world.pool.token(B);
    await expect(
      new TenantCredentials(client().invoke).forCaller({ tenantId: A, accessToken: tokenB }),
    ).rejects.toThrow(`tenant credentials of ${B} answered for a caller of ${A}`);
  });

  test('no session for a forged token, a deactivated tenant, or an unsigned caller', async () => {
    const sessions = () => new TenantCredentials(client().invoke);
    const forged = await world.pool.token(A, {}, { rogue: true });
    await expect(sessions().forCaller({ tenantId: A, accessToken: forged })).rejects.toThrow(
      'token rejected: bad signature',
    );
    const deactivated = await world.pool.token('tenant-c');
    await expect(
      sessions().forCaller({ tenantId: 'tenant-c', accessToken: deactivated }),
    ).rejects.toThrow('tenant is DEACTIVATED');
    // The Invoke API checks the SigV4 signature: other credentials than the caller's are refused.
    const impostor = lambdaInvoker({
      functionName: VENDING_FUNCTION,
      region: 'ap-southeast-2',
      endpoint: world.vending.endpoint,
      credentials: async () => ({ accessKeyId: 'testing', secretAccessKey: 'not-the-key' }),
    });
    await expect(impostor({ token: await world.pool.token(A) })).rejects.toThrow('HTTP 403');
  });
});

describe('who is refused', () => {
  test('a deactivated tenant, even with a valid token issued before', async () => {
    const token = await world.pool.token('tenant-c');
    for (const [method, path] of [
      ['GET', '/documents'],
      ['POST', '/documents'],
    ]) {
      const r = await call(
        method,
        path,
        token,
        method === 'POST' ? { kind: 'photo', contentType: 'image/png' } : undefined,
      );
      expect(r).toMatchObject({ status: 403, body: { error: 'TENANT_NOT_ACTIVE' } });
    }
  });

  test('a tenant the registry does not know', async () => {
    const r = await call('GET', '/documents', await world.pool.token('tenant-unknown'));
    expect(r).toMatchObject({ status: 403, body: { error: 'TENANT_NOT_ACTIVE' } });
  });

  test('a tenant without the documents module: 404 naming the module', async () => {
    const r = await call('GET', '/documents', await world.pool.token('tenant-d'));
    expect(r).toEqual({
      status: 404,
      body: expect.objectContaining({ error: 'MODULE_DISABLED', module: 'documents' }),
    });
  });

  test('a kind the tenant settings do not enable', async () => {
    const token = await world.pool.token('tenant-e');
    const photo = await call('POST', '/documents', token, {
      kind: 'photo',
      contentType: 'image/jpeg',
    });
    expect(photo).toMatchObject({
      status: 403,
      body: { error: 'KIND_NOT_ENABLED', field: 'kind' },
    });
    const signature = await call('POST', '/documents', token, {
      kind: 'signature',
      contentType: 'image/png',
    });
    expect(signature.status).toBe(201);
  });

  test.each([
    ['no token', async () => undefined],
    ['an expired token', async () => world.pool.token(A, {}, { expiresIn: -60 })],
    ['a token signed by another key', async () => world.pool.token(A, {}, { rogue: true })],
    [
      'a token of another issuer',
      async () =>
        world.pool.token(A, { iss: 'https://cognito-idp.ap-southeast-2.amazonaws.com/other' }),
    ],
    ['a token of another client', async () => world.pool.token(A, { client_id: 'someoneelse' })],
    ['an ID token', async () => world.pool.token(A, { token_use: 'id' })],
    ['a token without the tenant claim', async () => world.pool.token(undefined)],
    [
      'an operator token',
      async () => world.pool.token(A, { scope: 'https://api.example.com/tenants.admin' }),
    ],
  ])('%s: 401', async (_name, token) => {
    const r = await call('GET', '/documents', await token());
    expect(r).toMatchObject({ status: 401, body: { error: 'UNAUTHENTICATED' } });
  });

  test('a tampered tenant claim breaks the signature', async () => {
    const [header, , signature] = (await world.pool.token(B)).split('.');
    const claims = Buffer.from(JSON.stringify({ tenant_id: A, iss: 'x' })).toString('base64url');
    const r = await call('GET', '/documents', `${header}.${claims}.${signature}`);
    expect(r.status).toBe(401);
  });

  test('bad input names the field and the fix', async () => {
    const token = await world.pool.token(A);
    expect(
      await call('POST', '/documents', token, { kind: 'selfie', contentType: 'image/png' }),
    ).toMatchObject({
      status: 400,
      body: {
        error: 'INVALID_INPUT',
        field: 'kind',
        message: expect.stringMatching(/manifest, signature, invoice, photo/),
      },
    });
    expect(
      await call('POST', '/documents', token, { kind: 'signature', contentType: 'image/svg+xml' }),
    ).toMatchObject({
      status: 400,
      body: { field: 'contentType', message: expect.stringMatching(/image\/png, image\/jpeg/) },
    });
    expect((await call('GET', '/documents/not-a-uuid/download', token)).status).toBe(404);
  });
});

describe('the database side', () => {
  test("requests of A and B interleaved on one pool each see only their own tenant's rows", async () => {
    const [a, b] = await Promise.all([world.pool.token(A), world.pool.token(B)]);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        call('GET', '/documents', i % 2 ? b : a).then((r) => [i % 2 ? B : A, r] as const),
      ),
    );
    for (const [tenant, r] of results) {
      expect(r.status).toBe(200);
      for (const d of r.body.documents)
        expect(d.objectKey).toMatch(new RegExp(`^tenants/${tenant}/`));
    }
    expect(results.some(([t, r]) => t === A && r.body.documents.length > 0)).toBe(true);
    // No pooled connection keeps a tenant after its transaction.
    const c = await world.servicePool.connect();
    try {
      const { rows } = await c.query("SELECT current_setting('app.tenant_id', true) AS t");
      expect(rows[0].t ?? '').toBe('');
    } finally {
      c.release();
    }
  });

  test('the service connects as app_user over TLS; a server certificate of another CA is refused', async () => {
    const su = await superuser(world.pg);
    try {
      const { rows } = await su.query(
        `SELECT a.usename, s.ssl, s.version FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid)
          WHERE a.application_name = 'documents-service'`,
      );
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(row).toMatchObject({ usename: 'app_user', ssl: true });
    } finally {
      await su.end();
    }
    const wrongCa = createPool(
      readConfig({ ...world.env, DB_CA_FILE: world.certificates.otherCaFile }).database,
      async () => 'x',
    );
    await expect(wrongCa.query('SELECT 1')).rejects.toThrow(
      /self.signed|unable to verify|certificate/i,
    );
    await wrongCa.end();
  });

  test('rows are tenant rows under forced RLS: app_user without a tenant sees none', async () => {
    const su = await superuser(world.pg);
    try {
      const { rows } = await su.query(
        `SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = 'app.documents'::regclass`,
      );
      expect(rows[0]).toEqual({ relrowsecurity: true, relforcerowsecurity: true });
    } finally {
      await su.end();
    }
    const { rows } = await world.servicePool.query('SELECT count(*)::int AS n FROM app.documents');
    expect(rows[0].n).toBe(0);
  });
});

describe('log lines', () => {
  const lines = () =>
    [...info.mock.calls, ...warn.mock.calls].map(([line]) => JSON.parse(String(line)));

  test('every request is logged once with its request id and tenant, never the token or the user', async () => {
    const token = await world.pool.token(A);
    const traceRoot = '1-67891233-abcdef012345678912345678';
    const response = await fetch(`${world.base}/documents`, {
      headers: {
        authorization: `Bearer ${token}`,
        'x-amzn-trace-id': `Root=${traceRoot};Sampled=1`,
      },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe(traceRoot);
    const mine = lines().filter((l) => l.requestId === traceRoot);
    expect(mine).toEqual([
      expect.objectContaining({
        level: 'info',
        message: 'request',
        tenantId: A,
        method: 'GET',
        route: '/documents',
        status: 200,
      }),
    ]);
    const refused = await call('GET', '/documents', await world.pool.token('tenant-c'));
    expect(refused.status).toBe(403);
    expect(lines()).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: 'request refused: tenant not active',
        tenantId: 'tenant-c',
        requestId: expect.any(String),
      }),
    );
    const all = JSON.stringify(lines());
    expect(all).not.toContain(token.split('.')[1]);
    expect(all).not.toContain(`user-of-${A}`);
  });
});
