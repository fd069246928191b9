import { Client } from 'pg';
import {
  archiveTenant,
  inspectTenantArchives,
  isArchiveError,
} from '../../../../lambda/shared/archive';
import { countTenantRows, expectedCounts, seedTenant } from './fixtures/logistics-schema';
import type { ArchiveWorld, LogisticsDb } from './fixtures/world';
import { createBuckets, depsFor, seedFiles, startWorld } from './fixtures/world';

const A = 'acme-freight';
const B = 'globex-logistics';
const N = 6;
const request = {
  tenantId: A,
  archiveId: 'closure-2026-03',
  retainUntil: new Date('2030-01-01T00:00:00.000Z'),
};
const clock = () => new Date('2026-03-01T00:00:00.000Z');
const ZERO_ROWS = { invoices: 0, parcels: 0, proof_of_delivery: 0, shipments: 0 };

let world: ArchiveWorld;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => world?.stop());

/** A connection as the application (`app_user`), writing for one tenant per transaction. */
async function application(db: LogisticsDb) {
  const client = new Client({
    connectionString: `postgres://app_user@127.0.0.1:${world.pg.port}/${db.name}`,
  });
  await client.connect();
  const asTenant = async (tenant: string, sql: string) => {
    await client.query('BEGIN');
    try {
      await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenant]);
      const result = await client.query(sql, sql.includes('$1') ? [tenant] : []);
      await client.query('COMMIT');
      return result.rowCount;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  };
  return { asTenant, end: () => client.end() };
}

const NEW_INVOICE = `INSERT INTO app.invoices VALUES ($1, 9999, 1, 1.00, 'AUD', '2026-03-01', '[]')`;

test("from the start of the archive the application cannot write the tenant's rows; another tenant writes on; nothing is lost", async () => {
  const db = await world.openDatabase();
  for (const tenant of [A, B]) await seedTenant(db.admin, tenant, N);
  const buckets = await createBuckets(world);
  await seedFiles(world, buckets, A);
  const app = await application(db);
  const attempts: Record<string, string> = {};
  try {
    // Before the archive, the application writes the tenant's rows.
    expect(
      await app.asTenant(A, `UPDATE app.shipments SET status = 'delivered' WHERE id = 1`),
    ).toBe(1);

    const tryWrites = async () => {
      const outcome = (p: Promise<unknown>) =>
        p.then(
          (n) => `accepted (${String(n)} rows)`,
          (e: Error) => e.message,
        );
      attempts.insert = await outcome(app.asTenant(A, NEW_INVOICE));
      attempts.update = await outcome(app.asTenant(A, `UPDATE app.shipments SET status = 'lost'`));
      attempts.delete = await outcome(app.asTenant(A, 'DELETE FROM app.invoices'));
      attempts.other = await outcome(app.asTenant(B, NEW_INVOICE));
    };
    const deps = depsFor(world, db, buckets, {
      clock,
      faults: async (step) => {
        if (step === 'export:invoices') await tryWrites(); // in the middle of the export
      },
    });
    const result = await archiveTenant(deps, request);

    expect(attempts).toEqual({
      insert: expect.stringMatching(/violates row-level security policy "tenant_frozen_insert"/),
      update: expect.stringMatching(/violates row-level security policy "tenant_frozen_update"/),
      delete: 'accepted (0 rows)',
      other: 'accepted (1 rows)',
    });
    // Everything the tenant had was archived and deleted; the other tenant's write stands.
    expect(result.rowCounts).toEqual(expectedCounts(N));
    expect(await countTenantRows(db.admin, A)).toEqual(ZERO_ROWS);
    expect(await countTenantRows(db.admin, B)).toEqual({ ...expectedCounts(N), invoices: N + 1 });
    // The freeze outlives the archive: the tenant can never be written to again.
    await expect(app.asTenant(A, NEW_INVOICE)).rejects.toThrow(/tenant_frozen_insert/);
    const frozen = await db.admin.query(
      'SELECT tenant_id, archive_id FROM platform.frozen_tenants',
    );
    expect(frozen.rows).toEqual([{ tenant_id: A, archive_id: request.archiveId }]);
  } finally {
    await app.end();
  }
});

test('without the freeze register the archive refuses to start: nothing written, nothing deleted', async () => {
  const db = await world.openDatabase();
  await seedTenant(db.admin, A, N);
  const buckets = await createBuckets(world);
  await db.admin.query('DROP TABLE platform.frozen_tenants CASCADE');
  const error: unknown = await archiveTenant(depsFor(world, db, buckets, { clock }), request).catch(
    (e: unknown) => e,
  );
  expect(isArchiveError(error, 'FREEZE_FAILED')).toBe(true);
  expect((error as Error).message).toMatch(/run the database bootstrap/);
  expect(await countTenantRows(db.admin, A)).toEqual(expectedCounts(N));
  expect(await inspectTenantArchives(depsFor(world, db, buckets), A)).toEqual([]);
});
