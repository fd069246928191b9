import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { deleteStatement } from '../../../../lambda/shared/archive/row-deletion';
import { exportTable, rowDigestTerm } from '../../../../lambda/shared/archive/table-export';
import {
  beginTenantTransaction,
  discoverTenantTables,
} from '../../../../lambda/shared/archive/tenant-tables';
import { seedTenant, TENANT_TABLES } from './fixtures/logistics-schema';
import type { ArchiveWorld, Buckets, LogisticsDb } from './fixtures/world';
import { createBuckets, startWorld } from './fixtures/world';

/**
 * The content digest is a contract between runs of different versions: a manifest written by one
 * version is verified by the deleting transaction of the next (a job resumed across a
 * deployment). These tests pin it: the export's digest (computed in the worker, over the exact
 * lines it archives, fetched a batch ahead) equals the digest of the previous release's SQL and
 * the deleting statement's, whatever the batch size.
 */
const A = 'digest-tenant';
const N = 23; // 23 shipments, 46 parcels: batches of 5 and 23 end in a partial and a full batch

/** The deleting statement's digest of the release before this one, verbatim: the reference. */
const PREVIOUS_DIGEST_SQL = `coalesce(sum(('x' || encode(substring(sha256(convert_to(line, 'UTF8')) from 1 for 8), 'hex'))::bit(64)::bigint::numeric), 0)::text`;

let world: ArchiveWorld;
let db: LogisticsDb;
let buckets: Buckets;

beforeAll(async () => {
  world = await startWorld();
  db = await world.openDatabase();
  buckets = await createBuckets(world);
  await seedTenant(db.admin, A, N);
  await seedTenant(db.admin, 'other-tenant', 4);
  // A row whose text needs escapes and multi-byte UTF-8: the two digests must still agree.
  await db.admin.query(
    `UPDATE app.proof_of_delivery SET notes = E'tab\\there "quoted" \\\\ back\\u00e9 \\U0001F69A\\r\\nend'
      WHERE tenant_id = $1 AND id = 3`,
    [A],
  );
});

afterAll(async () => world?.stop());

test('rowDigestTerm is the first 8 bytes of the SHA-256 of the UTF-8 line, signed big-endian', () => {
  for (const line of ['{"id": 1}', '{"notes": "Zoë 🚚 \\n"}', '']) {
    const expected = createHash('sha256').update(line, 'utf8').digest().readBigInt64BE(0);
    expect(rowDigestTerm(line)).toBe(expected);
  }
  // A fixed value, so that a change of hash or byte order cannot pass unnoticed.
  expect(rowDigestTerm('{"id": 1}')).toBe(
    createHash('sha256')
      .update(Buffer.from('7b226964223a20317d', 'hex'))
      .digest()
      .readBigInt64BE(0),
  );
});

test.each([5, 23, 2000])(
  'with %i rows per fetch, the export holds every row once, in key order, and its digest is the previous and the deleting digest',
  async (fetchRows) => {
    const client = await db.workerPool.connect();
    try {
      await beginTenantTransaction(client, A, 'read');
      const tables = await discoverTenantTables(client, 'app');
      const exports = [];
      for (const table of tables) {
        const key = `archive/${A}/digest-${fetchRows}/db/${table.name}.jsonl.gz`;
        exports.push(
          await exportTable(client, 'app', table, A, {
            s3: world.primary,
            bucket: buckets.archive,
            key,
            fetchRows,
            partSizeBytes: 5 * 1024 * 1024,
          }),
        );
      }
      await client.query('COMMIT');
      expect(exports.map((e) => e.table)).toEqual([...TENANT_TABLES]);

      for (const exported of exports) {
        const expected = await db.admin.query<{ line: string }>(
          `SELECT to_jsonb(t)::text AS line FROM app.${exported.table} t WHERE tenant_id = $1 ORDER BY id`,
          [A],
        );
        const object = await world.primary.send(
          new GetObjectCommand({ Bucket: buckets.archive, Key: exported.key }),
        );
        const body = gunzipSync(Buffer.from(await object.Body!.transformToByteArray())).toString();
        expect(body).toBe(expected.rows.map((r) => `${r.line}\n`).join(''));
        expect(exported.rows).toBe(expected.rows.length);

        const previous = await db.admin.query<{ digest: string }>(
          `SELECT ${PREVIOUS_DIGEST_SQL} AS digest
             FROM (SELECT to_jsonb(t)::text AS line FROM app.${exported.table} t WHERE tenant_id = $1) rows`,
          [A],
        );
        expect(exported.rowsDigest).toBe(previous.rows[0]!.digest);
      }

      // Children before parents, in one transaction that is rolled back.
      await beginTenantTransaction(client, A, 'write');
      for (const table of ['invoices', 'proof_of_delivery', 'parcels', 'shipments']) {
        const exported = exports.find((e) => e.table === table)!;
        const deleted = await client.query(deleteStatement('app', table), [A]);
        expect(deleted.rows[0]).toEqual({ n: String(exported.rows), digest: exported.rowsDigest });
      }
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  },
);

test('the deleting statement digests the rows it removes: another digest when one changed, 0 for none', async () => {
  const client = await db.workerPool.connect();
  try {
    await beginTenantTransaction(client, A, 'write');
    const before = await client.query<{ digest: string }>(deleteStatement('app', 'invoices'), [A]);
    await client.query('ROLLBACK');
    await db.admin.query(
      `UPDATE app.invoices SET amount = amount + 0.01 WHERE tenant_id = $1 AND id = 7`,
      [A],
    );
    await beginTenantTransaction(client, A, 'write');
    const after = await client.query<{ n: string; digest: string }>(
      deleteStatement('app', 'invoices'),
      [A],
    );
    await client.query('ROLLBACK');
    expect(after.rows[0]!.n).toBe(String(N));
    expect(after.rows[0]!.digest).not.toBe(before.rows[0]!.digest);
    // No rows: the digest is '0', as the export's empty sum.
    await beginTenantTransaction(client, 'nobody', 'write');
    const none = await client.query(deleteStatement('app', 'invoices'), ['nobody']);
    await client.query('ROLLBACK');
    expect(none.rows[0]).toEqual({ n: '0', digest: '0' });
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
});
