import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { runBootstrap } from '../../lambda/db-bootstrap/apply';
import { findIsolationProblems } from '../../lambda/db-bootstrap/rls-check';
import type { TestPostgres } from '../support/postgres';
import { startPostgres } from '../support/postgres';
import type { Outcome, Tally } from './support/tally';

const DB = 'isolation';
const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const SCHEMA = join(__dirname, '..', 'lambda', 'db-bootstrap', 'logistics-schema.sql');

/** One shipment with its consignment, parcel, proof of delivery and invoice, as the tenant. */
const SEED = (t: string, ref: string) => `
WITH s AS (INSERT INTO app.shipments (tenant_id, reference) VALUES ('${t}', '${ref}')
           RETURNING tenant_id, shipment_id),
     c AS (INSERT INTO app.consignments (tenant_id, shipment_id, weight_kg)
           SELECT tenant_id, shipment_id, 12.5 FROM s RETURNING tenant_id, consignment_id),
     p AS (INSERT INTO app.parcels (tenant_id, consignment_id, barcode)
           SELECT tenant_id, consignment_id, '${ref}-P1' FROM c RETURNING tenant_id, parcel_id),
     d AS (INSERT INTO app.proof_of_delivery
           SELECT tenant_id, parcel_id, 'J. Citizen', 'tenants/${t}/pod.png', now() FROM p)
INSERT INTO app.invoices VALUES ('${t}', '${ref}', '2026-03-01', 4200)`;

/** An INSERT of a row for `tenant` that only RLS can refuse (partitions need their key). */
function insertFor(table: string, tenant: string): string {
  const year = /^app\.invoices_(\d{4})$/.exec(table)?.[1] ?? '2026';
  return table.startsWith('app.invoices')
    ? `INSERT INTO ${table} VALUES ('${tenant}', 'X-1', '${year}-06-01', 1)`
    : `INSERT INTO ${table} (tenant_id) VALUES ('${tenant}')`;
}

/**
 * The attacker's side of the database, on real PostgreSQL with the project's bootstrap: a
 * connection as `app_user` with tenant A set per transaction (as services do) tries to read,
 * insert, update and delete tenant B's rows in every tenant table the catalogue lists, including
 * a table a migration creates after the bootstrap; a session with no tenant reads every table;
 * and policies that widen access are added to see whether the isolation check notices.
 */
export function databaseAttacks(tally: Tally) {
  let pg: TestPostgres;
  const login = async (user: string) => {
    const c = new Client({ host: '127.0.0.1', port: pg.port, user, database: DB });
    await c.connect();
    return c;
  };
  const bootstrap = () =>
    runBootstrap({
      allowMasterFallback: true,
      connect: {
        asBootstrapRole: () => login('platform_bootstrap'),
        asMaster: () => login(pg.user),
      },
    });

  /** Runs `sql` as app_user with `tenant` set for the transaction; rows touched, or the error. */
  async function asTenant(tenant: string | undefined, sql: string): Promise<number | Error> {
    const c = await login('app_user');
    try {
      await c.query('BEGIN');
      if (tenant) await c.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenant]);
      const result = await c.query(sql);
      await c.query('COMMIT');
      return result.rowCount ?? result.rows.length;
    } catch (error) {
      await c.query('ROLLBACK').catch(() => undefined);
      return error as Error;
    } finally {
      await c.end();
    }
  }

  function record(name: string, expected: 'deny' | 'allow', outcome: Outcome, detail: string) {
    tally.record({ area: 'database', name, expected, outcome, detail });
  }

  /** Denied: nothing touched, or refused by RLS (42501) or by missing privileges. */
  const denial = (r: number | Error): [Outcome, string] =>
    r instanceof Error
      ? (r as { code?: string }).code === '42501'
        ? ['denied', r.message]
        : ['allowed', `unexpected error ${r.message}`]
      : r === 0
        ? ['denied', '0 rows']
        : ['allowed', `${r} rows`];

  let tables: string[] = [];

  beforeAll(async () => {
    pg = await startPostgres();
    await pg.createDatabase(DB);
    await bootstrap();
    const owner = await login('platform_bootstrap');
    await owner.query(readFileSync(SCHEMA, 'utf8'));
    await owner.end();
    await bootstrap();
    for (const [tenant, ref] of [
      [A, 'A-1'],
      [B, 'B-1'],
    ]) {
      const r = await asTenant(tenant, SEED(tenant, ref));
      if (r instanceof Error) throw r;
    }
    // A migration after the bootstrap: a new tenant table, rows of both tenants, no redeploy yet.
    const migration = await login('platform_bootstrap');
    await migration.query(
      `CREATE TABLE app.route_plans (tenant_id uuid NOT NULL, plan text);
       INSERT INTO app.route_plans VALUES ('${A}', 'a'), ('${B}', 'b');
       CREATE TABLE app.depot_notes (note text);
       INSERT INTO app.depot_notes VALUES ('b secret');`,
    );
    await migration.end();
    const c = await login(pg.user);
    const { rows } = await c.query<{ name: string }>(
      `SELECT n.nspname || '.' || c.relname AS name FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id'
        WHERE n.nspname = 'app' AND c.relkind IN ('r', 'p') ORDER BY 1`,
    );
    await c.end();
    tables = rows.map((r) => r.name);
  }, 60_000);

  afterAll(async () => pg?.stop());

  tally.test(
    'tenant A cannot select, insert, update or delete B’s rows in any tenant table',
    async () => {
      expect(tables).toContain('app.route_plans');
      for (const table of tables) {
        const b = `tenant_id = '${B}'`;
        record(
          `A selects B in ${table}`,
          'deny',
          ...denial(await asTenant(A, `SELECT 1 FROM ${table} WHERE ${b}`)),
        );
        record(
          `A updates B in ${table}`,
          'deny',
          ...denial(await asTenant(A, `UPDATE ${table} SET tenant_id = tenant_id WHERE ${b}`)),
        );
        record(
          `A deletes B in ${table}`,
          'deny',
          ...denial(await asTenant(A, `DELETE FROM ${table} WHERE ${b}`)),
        );
        record(
          `A moves own rows to B in ${table}`,
          'deny',
          ...denial(await asTenant(A, `UPDATE ${table} SET tenant_id = '${B}'`)),
        );
        record(
          `A inserts for B in ${table}`,
          'deny',
          ...denial(await asTenant(A, insertFor(table, B))),
        );
      }
    },
  );

  tally.test('tenant A reads its own rows in every seeded table', async () => {
    for (const table of [
      'app.shipments',
      'app.consignments',
      'app.parcels',
      'app.proof_of_delivery',
      'app.invoices',
    ]) {
      const r = await asTenant(A, `SELECT 1 FROM ${table}`);
      record(
        `A reads own rows in ${table}`,
        'allow',
        typeof r === 'number' && r > 0 ? 'allowed' : 'denied',
        String(r),
      );
    }
  });

  tally.test('a session with no tenant set sees nothing in any tenant table', async () => {
    for (const table of tables) {
      record(
        `no tenant selects ${table}`,
        'deny',
        ...denial(await asTenant(undefined, `SELECT 1 FROM ${table}`)),
      );
    }
  });

  tally.test('a table created after the bootstrap without tenant_id is not readable', async () => {
    record(
      'A selects app.depot_notes (no tenant_id, not global)',
      'deny',
      ...denial(await asTenant(A, 'SELECT 1 FROM app.depot_notes')),
    );
  });

  tally.test('a policy that widens access is detected by the isolation check', async () => {
    const widenings = [
      [
        'app.shipments',
        'open read policy',
        `CREATE POLICY open_read ON app.shipments FOR SELECT USING (true)`,
        `DROP POLICY open_read ON app.shipments`,
      ],
      [
        'app.parcels',
        'keyed policy OR-ed with true',
        `CREATE POLICY keyed_or_true ON app.parcels USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid OR true)`,
        `DROP POLICY keyed_or_true ON app.parcels`,
      ],
      [
        'app.invoices',
        'tenant policy loosened in place',
        `ALTER POLICY tenant_isolation ON app.invoices USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid OR tenant_id IS NOT NULL)`,
        null,
      ],
    ] as const;
    for (const [table, name, widen, undo] of widenings) {
      const owner = await login('platform_bootstrap');
      await owner.query(widen);
      const found = (await findIsolationProblems(owner)).find((p) => p.subject === table);
      record(
        `widening: ${name}`,
        'deny',
        found ? 'denied' : 'allowed',
        found ? found.problems.join('; ') : `the check found nothing on ${table}`,
      );
      if (undo) await owner.query(undo);
      await owner.end();
    }
    await bootstrap().catch(() => undefined); // restores the tenant policy
  });
}
