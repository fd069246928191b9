import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { runBootstrap } from '../../../lambda/db-bootstrap/apply';
import { contract } from '../../../lambda/db-bootstrap/contract';
import { readEnvironment } from '../../../lambda/shared/contract';
import { clientConfig, parseMasterSecret } from '../../../lambda/db-bootstrap/connection';
import { createOnEventHandler, physicalResourceId } from '../../../lambda/db-bootstrap/on-event';
import {
  findIsolationProblems,
  verifyTenantIsolation,
} from '../../../lambda/db-bootstrap/rls-check';
import type { ConnectionFactory } from '../../../lambda/db-bootstrap/sql-client';
import type { TestPostgres } from '../../support/postgres';
import { startPostgres } from '../../support/postgres';

const DB = 'logistics';
const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const TENANT_TABLES = [
  'app.consignments',
  'app.invoices',
  'app.invoices_2025',
  'app.invoices_2026',
  'app.parcels',
  'app.proof_of_delivery',
  'app.shipments',
];

const SEEDED = [
  'app.shipments',
  'app.consignments',
  'app.parcels',
  'app.proof_of_delivery',
  'app.invoices',
];

let pg: TestPostgres;

async function login(user: string): Promise<Client> {
  const client = new Client({ host: '127.0.0.1', port: pg.port, user, database: DB });
  await client.connect();
  return client;
}

/** Real connections; with trust authentication a missing role fails like a refused IAM login. */
function factory(): ConnectionFactory & { masterLogins: number } {
  return {
    masterLogins: 0,
    asBootstrapRole: () => login('platform_bootstrap'),
    async asMaster() {
      this.masterLogins += 1;
      return login(pg.user);
    },
  };
}

async function withSession<T>(user: string, work: (c: Client) => Promise<T>): Promise<T> {
  const client = await login(user);
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** As the application does it: the tenant set for one transaction only. */
async function asTenant<T>(c: Client, tenant: string, work: () => Promise<T>): Promise<T> {
  await c.query('BEGIN');
  try {
    await c.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenant]);
    const result = await work();
    await c.query('COMMIT');
    return result;
  } catch (error) {
    await c.query('ROLLBACK');
    throw error;
  }
}

async function count(c: Client, table: string, where = 'true'): Promise<number> {
  const { rows } = await c.query<{ n: string }>(
    `SELECT count(*) AS n FROM ${table} WHERE ${where}`,
  );
  return Number(rows[0].n);
}

/** One shipment with its consignment, parcel, proof of delivery and invoice, written as the tenant. */
const SEED_SQL = `
WITH s AS (INSERT INTO app.shipments (tenant_id, reference, origin_depot)
           VALUES ($1::uuid, $2, 'SYD1') RETURNING tenant_id, shipment_id),
     c AS (INSERT INTO app.consignments (tenant_id, shipment_id, carrier_code, weight_kg)
           SELECT tenant_id, shipment_id, 'TNT', 12.5 FROM s RETURNING tenant_id, consignment_id),
     p AS (INSERT INTO app.parcels (tenant_id, consignment_id, barcode)
           SELECT tenant_id, consignment_id, $2 || '-P1' FROM c RETURNING tenant_id, parcel_id),
     d AS (INSERT INTO app.proof_of_delivery
           SELECT tenant_id, parcel_id, 'J. Citizen', 'tenants/' || $1 || '/pod.png', now() FROM p)
INSERT INTO app.invoices VALUES ($1::uuid, $2, '2026-03-01', 4200)`;

async function seed(c: Client, tenant: string, reference: string): Promise<void> {
  await asTenant(c, tenant, () => c.query(SEED_SQL, [tenant, reference]));
}

const handler = () =>
  createOnEventHandler({
    target: { host: '127.0.0.1', port: pg.port, database: DB },
    connect: factory(),
  });

beforeAll(async () => {
  pg = await startPostgres();
  await pg.createDatabase(DB);
});
afterAll(async () => pg?.stop());

describe('database bootstrap against PostgreSQL', () => {
  it('first run: the IAM login is refused, the master creates the roles once, then the baseline applies', async () => {
    const connect = factory();
    const result = await runBootstrap({ connect, allowMasterFallback: true });
    expect(result).toMatchObject({ usedMasterFallback: true, tenantTables: [] });
    expect(connect.masterLogins).toBe(1);
    const again = await runBootstrap({ connect, allowMasterFallback: true });
    expect(again.usedMasterFallback).toBe(false);
    expect(connect.masterLogins).toBe(1);
  });

  it('tables created afterwards by migrations are caught by the check until the bootstrap runs again', async () => {
    const ddl = readFileSync(join(__dirname, 'logistics-schema.sql'), 'utf8');
    await withSession('platform_bootstrap', async (c) => {
      await c.query(ddl);
      const problems = await findIsolationProblems(c);
      expect(problems.map((p) => p.subject)).toEqual(TENANT_TABLES);
      await expect(verifyTenantIsolation(c)).rejects.toThrow(
        /app\.shipments \(row-level security not enabled; row-level security not forced; no policy keyed on app\.tenant_id\)/,
      );
      await c.query(`INSERT INTO app.depots VALUES ('SYD1', 'Sydney 1', 'AU')`);
      await c.query(`INSERT INTO app.carrier_codes VALUES ('TNT', 'TNT Express')`);
    });
    const response = await handler()({
      RequestType: 'Update',
      PhysicalResourceId: physicalResourceId({ host: '127.0.0.1', port: pg.port, database: DB }),
    });
    expect(response.Data).toEqual({
      TenantTables: '7',
      ReferenceTables: '2',
      UsedMasterFallback: 'false',
      AppliedMigrations: 'none',
    });
    await withSession('platform_bootstrap', async (c) =>
      expect(await findIsolationProblems(c)).toEqual([]),
    );
    await withSession('app_user', async (c) => {
      await seed(c, A, 'A-001');
      await seed(c, B, 'B-001');
      await seed(c, B, 'B-002');
    });
  });

  it("a session for tenant A cannot select, update or delete tenant B's rows, nor insert rows for B", async () => {
    await withSession('app_user', async (c) => {
      await asTenant(c, A, async () => {
        for (const table of [...SEEDED, 'app.invoices_2026']) {
          expect(await count(c, table)).toBe(1);
          expect(await count(c, table, `tenant_id = '${B}'`)).toBe(0);
        }
        const rows = async (sql: string) => (await c.query(sql, [B])).rowCount;
        expect(await rows(`UPDATE app.shipments SET status = 'lost' WHERE tenant_id = $1`)).toBe(0);
        expect(await rows(`DELETE FROM app.proof_of_delivery WHERE tenant_id = $1`)).toBe(0);
        expect(await rows(`DELETE FROM app.invoices_2026 WHERE tenant_id = $1`)).toBe(0);
        expect(
          await rows(`UPDATE app.shipments SET status = 'in transit' WHERE $1::uuid IS NOT NULL`),
        ).toBe(1);
      });
      await expect(
        asTenant(c, A, () =>
          c.query(`INSERT INTO app.invoices VALUES ($1, 'X-1', '2026-04-01', 1)`, [B]),
        ),
      ).rejects.toThrow(/violates row-level security policy/);
      await expect(
        asTenant(c, A, () => c.query(`UPDATE app.shipments SET tenant_id = $1`, [B])),
      ).rejects.toThrow(/violates row-level security policy/);
      await expect(asTenant(c, A, () => c.query('TRUNCATE app.parcels CASCADE'))).rejects.toThrow(
        /permission denied/,
      );
      await asTenant(c, B, async () => {
        expect(await count(c, 'app.shipments', `status = 'booked'`)).toBe(2);
        expect(await count(c, 'app.proof_of_delivery')).toBe(2);
        expect(await count(c, 'app.invoices')).toBe(2);
      });
    });
  });

  it('a session with no tenant set sees nothing, also after a transaction-local tenant has ended', async () => {
    for (const user of ['app_user', 'lifecycle_worker', 'platform_bootstrap']) {
      await withSession(user, async (c) => {
        for (const table of SEEDED) expect(await count(c, table)).toBe(0);
        await asTenant(c, A, async () => expect(await count(c, 'app.shipments')).toBe(1));
        for (const table of SEEDED) expect(await count(c, table)).toBe(0); // setting is now ''
      });
    }
    await withSession('app_user', async (c) => {
      await expect(
        c.query(`INSERT INTO app.shipments (tenant_id, reference) VALUES ($1, 'N-1')`, [A]),
      ).rejects.toThrow(/row-level security/);
      await expect(asTenant(c, 'not-a-uuid', () => count(c, 'app.shipments'))).rejects.toThrow(
        /invalid input syntax for type uuid/,
      );
    });
  });

  it('grants: app_user reads reference data and cannot create tables; lifecycle_worker only selects and deletes', async () => {
    await withSession('app_user', async (c) => {
      expect(await count(c, 'app.depots')).toBe(1);
      await expect(
        c.query(`INSERT INTO app.depots VALUES ('MEL1', 'Melbourne', 'AU')`),
      ).rejects.toThrow(/permission denied/);
      await expect(c.query('CREATE TABLE app.sneaky (tenant_id uuid)')).rejects.toThrow(
        /permission denied/,
      );
    });
    await withSession('lifecycle_worker', async (c) => {
      await asTenant(c, B, async () => {
        expect(await count(c, 'app.invoices')).toBe(2);
        expect((await c.query(`DELETE FROM app.invoices WHERE tenant_id = $1`, [A])).rowCount).toBe(
          0,
        );
        expect(
          (await c.query(`DELETE FROM app.invoices WHERE invoice_no = 'B-002'`)).rowCount,
        ).toBe(1);
      });
      await expect(
        asTenant(c, B, () =>
          c.query(`INSERT INTO app.invoices VALUES ($1, 'B-9', '2026-05-01', 1)`, [B]),
        ),
      ).rejects.toThrow(/permission denied/);
      await expect(c.query('SELECT * FROM app.depots')).rejects.toThrow(/permission denied/);
    });
  });

  it('the application roles cannot bypass RLS and own nothing (pg_roles)', async () => {
    await withSession(pg.user, async (c) => {
      const { rows } = await c.query(
        `SELECT rolname, rolbypassrls, rolsuper, rolcanlogin FROM pg_roles
          WHERE rolname IN ('app_user', 'lifecycle_worker', 'platform_bootstrap') ORDER BY rolname`,
      );
      expect(rows).toEqual([
        { rolname: 'app_user', rolbypassrls: false, rolsuper: false, rolcanlogin: true },
        { rolname: 'lifecycle_worker', rolbypassrls: false, rolsuper: false, rolcanlogin: true },
        { rolname: 'platform_bootstrap', rolbypassrls: false, rolsuper: false, rolcanlogin: true },
      ]);
      const owners = await c.query(
        `SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'app'`,
      );
      expect(owners.rows).toEqual([{ tableowner: 'platform_bootstrap' }]);
    });
  });

  it('applying twice is idempotent: the catalogue is unchanged', async () => {
    const snapshot = () =>
      withSession(pg.user, async (c) => {
        const policies = await c.query(
          `SELECT tablename, policyname, permissive, roles, cmd, qual, with_check FROM pg_policies WHERE schemaname = 'app' ORDER BY 1, 2`,
        );
        const tables = await c.query(
          `SELECT relname, relrowsecurity, relforcerowsecurity, relacl::text FROM pg_class WHERE relnamespace = 'app'::regnamespace ORDER BY 1`,
        );
        const defaults = await c.query(
          `SELECT defaclobjtype, defaclacl::text FROM pg_default_acl ORDER BY 1`,
        );
        return { policies: policies.rows, tables: tables.rows, defaults: defaults.rows };
      });
    const before = await snapshot();
    await runBootstrap({ connect: factory(), allowMasterFallback: false });
    await runBootstrap({ connect: factory(), allowMasterFallback: false });
    expect(await snapshot()).toEqual(before);
    // The tenant policy and the three freeze policies on every tenant table.
    expect(before.policies).toHaveLength(TENANT_TABLES.length * 4);
  });

  it('a new tenant table without a policy is caught, and a re-run of the bootstrap protects it', async () => {
    await withSession('platform_bootstrap', (c) =>
      c.query(
        'CREATE TABLE app.delivery_exceptions (tenant_id uuid NOT NULL, parcel_id bigint, reason text)',
      ),
    );
    await withSession('platform_bootstrap', async (c) => {
      await expect(verifyTenantIsolation(c)).rejects.toThrow(
        /^Tenant isolation check failed for app\.delivery_exceptions:/,
      );
    });
    const result = await runBootstrap({ connect: factory(), allowMasterFallback: false });
    expect(result.tenantTables).toContain('app.delivery_exceptions');
    await withSession('app_user', async (c) => {
      await asTenant(c, A, () =>
        c.query(`INSERT INTO app.delivery_exceptions VALUES ($1, 1, 'damaged')`, [A]),
      );
      await asTenant(c, B, async () => expect(await count(c, 'app.delivery_exceptions')).toBe(0));
    });
  });

  it('the bootstrap fails naming a tenant table it cannot protect, a widening policy or a role with BYPASSRLS', async () => {
    const bootstrap = () => runBootstrap({ connect: factory(), allowMasterFallback: false });
    await withSession(pg.user, (c) =>
      c.query('CREATE TABLE app.legacy_rates (id serial, tenant_id uuid, rate numeric)'),
    );
    await expect(bootstrap()).rejects.toThrow(
      /app\.legacy_rates \(.*no policy keyed on app\.tenant_id; owned by postgres, which the bootstrap cannot act as\)/,
    );
    await withSession(pg.user, (c) =>
      c.query('ALTER TABLE app.legacy_rates OWNER TO platform_bootstrap'),
    );
    await expect(bootstrap()).resolves.toMatchObject({ skippedTables: [] });

    await withSession('platform_bootstrap', (c) =>
      c.query('CREATE POLICY open_read ON app.shipments FOR SELECT USING (true)'),
    );
    await expect(bootstrap()).rejects.toThrow(
      /app\.shipments \(permissive policy open_read widens access \(only tenant_isolation may be permissive\)\)/,
    );
    await withSession('platform_bootstrap', (c) =>
      c.query('DROP POLICY open_read ON app.shipments'),
    );

    await withSession(pg.user, (c) => c.query('ALTER ROLE app_user BYPASSRLS'));
    await expect(bootstrap()).rejects.toThrow(/role app_user \(has BYPASSRLS\)/);
    await withSession(pg.user, (c) => c.query('ALTER ROLE app_user NOBYPASSRLS'));
    await expect(bootstrap()).resolves.toMatchObject({ usedMasterFallback: false });
  });

  it('a frozen tenant: app_user writes are refused, other tenants and tables created later too, the archive worker still reads and deletes', async () => {
    const C = '00000000-0000-4000-8000-00000000000c';
    await withSession('app_user', (c) => seed(c, C, 'C-001'));
    const freeze = (c: Client) =>
      c.query(
        `INSERT INTO platform.frozen_tenants (tenant_id, archive_id) VALUES ($1, 'arch-c')
         ON CONFLICT (tenant_id) DO NOTHING`,
        [C],
      );
    await withSession('lifecycle_worker', async (c) => {
      await freeze(c);
      await freeze(c); // idempotent: every archive run freezes again
      expect(await count(c, 'platform.frozen_tenants')).toBe(1);
    });
    await withSession('app_user', async (c) => {
      await expect(
        asTenant(c, C, () =>
          c.query(`INSERT INTO app.invoices VALUES ($1, 'C-2', '2026-04-01', 1)`, [C]),
        ),
      ).rejects.toThrow(/violates row-level security policy "tenant_frozen_insert"/);
      await expect(
        asTenant(c, C, () => c.query(`UPDATE app.shipments SET status = 'delivered'`)),
      ).rejects.toThrow(/violates row-level security policy "tenant_frozen_update"/);
      await asTenant(c, C, async () => {
        expect((await c.query('DELETE FROM app.proof_of_delivery')).rowCount).toBe(0);
        expect(await count(c, 'app.proof_of_delivery')).toBe(1);
        expect(await count(c, 'app.shipments', `status = 'booked'`)).toBe(1);
      });
      // Another tenant writes as before.
      await asTenant(c, A, async () => {
        await c.query(`INSERT INTO app.invoices VALUES ($1, 'A-2', '2026-04-01', 1)`, [A]);
        expect(
          (await c.query(`UPDATE app.invoices SET amount_cents = 2 WHERE invoice_no = 'A-2'`))
            .rowCount,
        ).toBe(1);
        expect((await c.query(`DELETE FROM app.invoices WHERE invoice_no = 'A-2'`)).rowCount).toBe(
          1,
        );
      });
      // The register is not the application's to read or to change.
      await expect(c.query('SELECT * FROM platform.frozen_tenants')).rejects.toThrow(
        /permission denied/,
      );
      await expect(
        c.query(`DELETE FROM platform.frozen_tenants WHERE tenant_id = $1`, [C]),
      ).rejects.toThrow(/permission denied/);
    });
    await withSession('lifecycle_worker', async (c) => {
      await expect(
        c.query(`DELETE FROM platform.frozen_tenants WHERE tenant_id = $1`, [C]),
      ).rejects.toThrow(/permission denied/);
      await asTenant(c, C, async () => {
        expect(await count(c, 'app.invoices')).toBe(1);
        expect((await c.query('DELETE FROM app.invoices')).rowCount).toBe(1);
      });
    });

    // A table a migration adds later: unreachable until the bootstrap runs, then frozen as well.
    await withSession('platform_bootstrap', (c) =>
      c.query('CREATE TABLE app.route_plans (tenant_id uuid NOT NULL, stop_count int NOT NULL)'),
    );
    const plan = (c: Client, tenant: string) =>
      asTenant(c, tenant, () => c.query(`INSERT INTO app.route_plans VALUES ($1, 3)`, [tenant]));
    await withSession('app_user', (c) => expect(plan(c, C)).rejects.toThrow(/permission denied/));
    await runBootstrap({ connect: factory(), allowMasterFallback: false });
    await withSession('app_user', async (c) => {
      await expect(plan(c, C)).rejects.toThrow(/tenant_frozen_insert/);
      await plan(c, A);
    });

    // The check fails on a tenant table without its freeze policy; the bootstrap puts it back.
    await withSession('platform_bootstrap', async (c) => {
      await c.query('DROP POLICY tenant_frozen_delete ON app.route_plans');
      expect(await findIsolationProblems(c)).toEqual([
        {
          subject: 'app.route_plans',
          problems: [
            'no freeze policy tenant_frozen_delete (writes of a frozen tenant would be accepted)',
          ],
        },
      ]);
    });
    await runBootstrap({ connect: factory(), allowMasterFallback: false });
  });
});

describe('custom-resource handler routing', () => {
  const target = { host: 'db.example.internal', port: 5432, database: 'logistics' };
  const refused = Object.assign(
    new Error('PAM authentication failed for user "platform_bootstrap"'),
    { code: '28P01' },
  );
  const failing = () => ({
    asBootstrapRole: jest.fn().mockRejectedValue(refused),
    asMaster: jest.fn().mockRejectedValue(new Error('master used')),
  });

  it('Delete leaves the database alone', async () => {
    const connect = failing();
    const response = await createOnEventHandler({ target, connect })({
      RequestType: 'Delete',
      PhysicalResourceId: 'old-id',
    });
    expect(response).toEqual({ PhysicalResourceId: 'old-id' });
    expect(connect.asBootstrapRole).not.toHaveBeenCalled();
    expect(connect.asMaster).not.toHaveBeenCalled();
  });

  it('Update of the same database never falls back to the master credentials', async () => {
    const connect = failing();
    const onEvent = createOnEventHandler({ target, connect });
    await expect(
      onEvent({ RequestType: 'Update', PhysicalResourceId: physicalResourceId(target) }),
    ).rejects.toThrow(
      /^Database bootstrap \(Update\) failed: Cannot log in as platform_bootstrap with IAM authentication: PAM/,
    );
    expect(connect.asMaster).not.toHaveBeenCalled();
  });

  it('Create (or an Update to another database) may fall back; other login errors never do', async () => {
    for (const event of [
      { RequestType: 'Create' as const },
      { RequestType: 'Update' as const, PhysicalResourceId: 'db-bootstrap:old:5432/x' },
    ]) {
      const connect = failing();
      await expect(createOnEventHandler({ target, connect })(event)).rejects.toThrow(/master used/);
      expect(connect.asMaster).toHaveBeenCalledTimes(1);
    }
    const connect = {
      asBootstrapRole: jest.fn().mockRejectedValue(new Error('ETIMEDOUT')),
      asMaster: jest.fn(),
    };
    await expect(
      createOnEventHandler({ target, connect })({ RequestType: 'Create' }),
    ).rejects.toThrow(/ETIMEDOUT/);
    expect(connect.asMaster).not.toHaveBeenCalled();
  });

  it('Create against the real database returns the physical id and counts', async () => {
    const response = await handler()({ RequestType: 'Create' });
    expect(response.PhysicalResourceId).toBe(`db-bootstrap:127.0.0.1:${pg.port}/${DB}`);
    expect(response.Data).toEqual({
      TenantTables: '10',
      ReferenceTables: '2',
      UsedMasterFallback: 'false',
      AppliedMigrations: 'none',
    });
  });
});

describe('handler configuration and connection settings', () => {
  const env = {
    DB_HOST: 'app.cluster-abc.ap-southeast-2.rds.amazonaws.com',
    DB_PORT: '5432',
    DB_NAME: 'logistics',
    MASTER_SECRET_ARN: 'arn:aws:secretsmanager:ap-southeast-2:111111111111:secret:db-master-AbCdEf',
    AWS_REGION: 'ap-southeast-2',
    NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem',
  };

  it('reads a valid environment and lists every problem of an invalid one', () => {
    expect(readEnvironment(contract, env)).toEqual({ ...env, DB_PORT: 5432 });
    expect(() =>
      readEnvironment(contract, {
        ...env,
        DB_PORT: '0',
        MASTER_SECRET_ARN: 'x',
        NODE_EXTRA_CA_CERTS: undefined,
      }),
    ).toThrow(
      /DB_PORT: the database TCP port, a whole number 1-65535 \(got "0"\); MASTER_SECRET_ARN: .*\(got "x"\); NODE_EXTRA_CA_CERTS: .*\(missing\)/,
    );
  });

  it('verifies TLS 1.2+ and parses the master secret', () => {
    const settings = readEnvironment(contract, env);
    const target = { host: settings.DB_HOST, port: settings.DB_PORT, database: settings.DB_NAME };
    expect(clientConfig(target, 'platform_bootstrap', 'token')).toMatchObject({
      user: 'platform_bootstrap',
      ssl: { rejectUnauthorized: true, minVersion: 'TLSv1.2', servername: env.DB_HOST },
    });
    expect(parseMasterSecret('{"username":"master","password":"p"}')).toEqual({
      username: 'master',
      password: 'p',
    });
    expect(() => parseMasterSecret('{"username":"master"}')).toThrow(
      /lacks "username" or "password"/,
    );
  });
});
