import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { ensureRoles, runBootstrap } from '../../../lambda/db-bootstrap/apply';
import type { ConnectionFactory } from '../../../lambda/db-bootstrap/sql-client';
import { judgeRestoredDatabase } from '../../../lambda/restore-validation/database-judgement';
import { runValidationQueries } from '../../../lambda/restore-validation/database-query';
import type { TestPostgres } from '../../support/postgres';
import { startPostgres } from '../../support/postgres';

/**
 * The restore validation's queries on a real PostgreSQL, as its own role `restore_validator`,
 * against databases standing in for restored copies: the live database after its bootstrap (a
 * complete copy), an empty database (an empty restore) and a copy missing a table (a short one).
 */
const LIVE = 'live';
const SCHEMA_SQL = readFileSync(join(__dirname, '../db-bootstrap/logistics-schema.sql'), 'utf8');
let pg: TestPostgres;

async function login(user: string, database: string): Promise<Client> {
  const client = new Client({ host: '127.0.0.1', port: pg.port, user, database });
  await client.connect();
  return client;
}

async function as<T>(user: string, database: string, work: (c: Client) => Promise<T>): Promise<T> {
  const client = await login(user, database);
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function factory(database: string): ConnectionFactory {
  return {
    asBootstrapRole: () => login('platform_bootstrap', database),
    asMaster: () => login(pg.user, database),
  };
}

/** A bootstrapped database with the logistics schema (as the live database is after a deploy). */
async function bootstrapped(database: string): Promise<void> {
  await pg.createDatabase(database);
  // As on a new cluster: the master creates the roles and lets the bootstrap role create schemas.
  await as(pg.user, database, (c) => ensureRoles(c));
  await runBootstrap({ connect: factory(database), allowMasterFallback: false });
  await as('platform_bootstrap', database, (c) => c.query(SCHEMA_SQL));
  await runBootstrap({ connect: factory(database), allowMasterFallback: false });
}

const validate = (database: string) =>
  as('restore_validator', database, async (c) =>
    judgeRestoredDatabase(database, await runValidationQueries(c)),
  );

beforeAll(async () => {
  pg = await startPostgres();
  await bootstrapped(LIVE);
}, 60_000);
afterAll(async () => pg?.stop());

describe('restore validation against PostgreSQL, as restore_validator', () => {
  it('passes a complete copy: the sentinel row is there and lists every restored table', async () => {
    const result = await validate(LIVE);
    expect(result.ok).toBe(true);
    expect(result.message).toMatch(/logged in as restore_validator/);
    expect(result.message).toMatch(/all 9 tables it lists restored/);
  });

  it('fails an empty restore: a database without the sentinel', async () => {
    await pg.createDatabase('empty_restore');
    const result = await validate('empty_restore');
    expect(result).toEqual({
      ok: false,
      message: expect.stringContaining('has no restore sentinel row in platform.restore_sentinel'),
    });
  });

  it('fails a restore whose sentinel table came back without its row', async () => {
    await bootstrapped('rowless_restore');
    await as(pg.user, 'rowless_restore', (c) => c.query('DELETE FROM platform.restore_sentinel'));
    expect((await validate('rowless_restore')).ok).toBe(false);
  });

  it('fails a short restore: a table the sentinel lists is missing', async () => {
    await bootstrapped('short_restore');
    await as('platform_bootstrap', 'short_restore', (c) =>
      c.query('DROP TABLE app.proof_of_delivery'),
    );
    const result = await validate('short_restore');
    expect(result).toEqual({
      ok: false,
      message: expect.stringContaining('1 of the 9 tables'),
    });
    expect(result.message).toContain('app.proof_of_delivery');
  });

  it('the role reads no tenant or reference table, owns nothing and does not bypass RLS', async () => {
    await as('restore_validator', LIVE, async (c) => {
      for (const table of ['app.shipments', 'app.invoices', 'app.depots']) {
        await expect(c.query(`SELECT count(*) FROM ${table}`)).rejects.toThrow(/permission denied/);
      }
      await expect(
        c.query(`INSERT INTO platform.restore_sentinel VALUES ('x', '{}', now())`),
      ).rejects.toThrow(/permission denied/);
      await expect(c.query(`ALTER TABLE app.shipments DISABLE ROW LEVEL SECURITY`)).rejects.toThrow(
        /must be owner|permission denied/,
      );
      const { rows } = await c.query<{ super: boolean; bypass: boolean; owned: string }>(
        `SELECT rolsuper AS super, rolbypassrls AS bypass,
                (SELECT count(*) FROM pg_class WHERE relowner = r.oid)::text AS owned
           FROM pg_roles r WHERE rolname = current_user`,
      );
      expect(rows[0]).toEqual({ super: false, bypass: false, owned: '0' });
    });
  });

  it('the sentinel row is rewritten by every bootstrap with the tables of the day', async () => {
    await as('platform_bootstrap', LIVE, (c) =>
      c.query(`CREATE TABLE app.returns (tenant_id uuid NOT NULL, id int)`),
    );
    await runBootstrap({ connect: factory(LIVE), allowMasterFallback: false });
    const result = await validate(LIVE);
    expect(result.message).toMatch(/all 10 tables it lists restored/);
  });
});
