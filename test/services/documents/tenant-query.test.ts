import { rmSync } from 'node:fs';
import type { Pool } from 'pg';
import {
  asTenant,
  createPool,
  tenantQuery,
  withTenant,
} from '../../../services/documents/src/db/database';
import { documentsTable } from '../../../services/documents/src/documents/documents-table';
import type { TestPostgres } from '../../support/postgres';
import type { TestCertificates } from '../../support/test-ca';
import { DB, startDocumentsDatabase, superuser } from './support/documents-world';

/**
 * `tenantQuery`: the tenant setting and the statement in one round trip (one Sync, one implicit
 * transaction), against PostgreSQL as the service connects to it: app_user over verified TLS,
 * forced RLS by the bootstrap. What BEGIN + set_config + statement + COMMIT promised must hold:
 * the statement sees and writes only the tenant's rows, the setting ends with the statement, a
 * failed statement leaves nothing behind, and a pooled connection carries no tenant onwards.
 */
let pg: TestPostgres;
let certificates: TestCertificates;
/** One connection: every call below runs on the same backend, one after the other. */
let pool: Pool;
const A = 'tenant-a';
const B = 'tenant-b';

const row = (tenant: string, n: number) => ({
  documentId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  kind: 'photo' as const,
  contentType: 'image/jpeg',
  maxBytes: 1000,
  objectKey: `tenants/${tenant}/documents/${n}`,
  createdBy: 'test',
});

async function noTenantOnTheConnection(): Promise<void> {
  const { rows } = await pool.query(
    "SELECT current_setting('app.tenant_id', true) AS t, (SELECT count(*)::int FROM app.documents) AS n",
  );
  expect(rows[0].t ?? '').toBe('');
  expect(rows[0].n).toBe(0);
}

beforeAll(async () => {
  ({ pg, certificates } = await startDocumentsDatabase());
  pool = createPool(
    {
      host: '127.0.0.1',
      port: pg.port,
      name: DB,
      user: 'app_user',
      caFile: certificates.caFile,
      poolSize: 1,
    },
    async () => 'iam-token-not-checked-locally',
  );
  for (let i = 1; i <= 3; i++) await documentsTable.insert(asTenant(pool, A), row(A, i));
  await documentsTable.insert(asTenant(pool, B), row(B, 10));
}, 120_000);

afterAll(async () => {
  await pool?.end();
  await pg?.stop();
  if (certificates) rmSync(certificates.dir, { recursive: true, force: true });
});

test('the statement runs as the tenant: it sees the setting and only that tenant’s rows', async () => {
  const a = await documentsTable.list(asTenant(pool, A), 100);
  expect(a.map((d) => d.objectKey).sort()).toEqual(
    [1, 2, 3].map((n) => `tenants/${A}/documents/${n}`),
  );
  const b = await documentsTable.list(asTenant(pool, B), 100);
  expect(b.map((d) => d.objectKey)).toEqual([`tenants/${B}/documents/10`]);
  expect(await documentsTable.get(asTenant(pool, B), row(A, 1).documentId)).toBeUndefined();
  const { rows } = await tenantQuery(pool, A, "SELECT current_setting('app.tenant_id') AS t", []);
  expect(rows).toEqual([{ t: A }]);
  // The rows were written with the tenant of the setting (current_setting in the INSERT).
  const su = await superuser(pg);
  try {
    const all = await su.query(
      'SELECT tenant_id, count(*)::int AS n FROM app.documents GROUP BY 1 ORDER BY 1',
    );
    expect(all.rows).toEqual([
      { tenant_id: A, n: 3 },
      { tenant_id: B, n: 1 },
    ]);
  } finally {
    await su.end();
  }
});

test('the setting is transaction-local: the same pooled connection has no tenant afterwards', async () => {
  const { rows: first } = await tenantQuery<{ pid: number }>(
    pool,
    A,
    'SELECT pg_backend_pid() AS pid',
    [],
  );
  const { rows: after } = await pool.query('SELECT pg_backend_pid() AS pid');
  expect(after[0].pid).toBe(first[0].pid); // one connection: the very one the tenant ran on
  await noTenantOnTheConnection();
  // Nor inside the next transaction the connection opens.
  const next = await withTenant(pool, B, (c) =>
    c.query(
      "SELECT current_setting('app.tenant_id') AS t, count(*)::int AS n FROM app.documents",
      [],
    ),
  );
  expect(next.rows).toEqual([{ t: B, n: 1 }]);
  await noTenantOnTheConnection();
});

test('one round trip: the setting and the statement end with a single ReadyForQuery', async () => {
  const client = await pool.connect();
  let ready = 0;
  const count = () => (ready += 1);
  const connection = (client as unknown as { connection: NodeJS.EventEmitter }).connection;
  connection.on('readyForQuery', count);
  client.release();
  try {
    await documentsTable.list(asTenant(pool, A), 100);
    expect(ready).toBe(1);
    await withTenant(pool, A, (c) => documentsTable.list(c, 100));
    expect(ready).toBe(1 + 4); // BEGIN, set_config, SELECT, COMMIT
  } finally {
    connection.off('readyForQuery', count);
  }
});

test('a row of another tenant is refused, and a failed statement leaves nothing behind', async () => {
  await expect(
    tenantQuery(
      pool,
      A,
      `INSERT INTO app.documents (tenant_id, document_id, kind, content_type, max_bytes, object_key, created_by)
       VALUES ($1, gen_random_uuid(), 'photo', 'image/jpeg', 1, 'tenants/' || $1 || '/documents/x', 'test')`,
      [B],
    ),
  ).rejects.toThrow(/row-level security/);
  await noTenantOnTheConnection();
  // A statement that writes and then fails is rolled back whole, with the setting.
  await expect(
    tenantQuery(
      pool,
      A,
      `WITH written AS (
         INSERT INTO app.documents (tenant_id, document_id, kind, content_type, max_bytes, object_key, created_by)
         VALUES (current_setting('app.tenant_id'), gen_random_uuid(), 'photo', 'image/jpeg', 1,
                 'tenants/' || current_setting('app.tenant_id') || '/documents/y', 'test')
         RETURNING 1 AS one)
       SELECT one / 0 FROM written`,
      [],
    ),
  ).rejects.toThrow(/division by zero/);
  await noTenantOnTheConnection();
  expect(await documentsTable.list(asTenant(pool, A), 100)).toHaveLength(3);
});

test('tenants interleaved on one connection each see only their own rows', async () => {
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      documentsTable
        .list(asTenant(pool, i % 2 ? B : A), 100)
        .then((d) => [i % 2 ? B : A, d] as const),
    ),
  );
  for (const [tenant, documents] of results) {
    expect(documents.length).toBe(tenant === A ? 3 : 1);
    for (const d of documents) expect(d.objectKey.startsWith(`tenants/${tenant}/`)).toBe(true);
  }
  await noTenantOnTheConnection();
});
