import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { runBootstrap } from '../../../lambda/db-bootstrap/apply';
import type { Migration } from '../../../lambda/db-bootstrap/migrations';
import { migrationsOf, sha256Of } from '../../../lambda/db-bootstrap/migrations';
import { createOnEventHandler } from '../../../lambda/db-bootstrap/on-event';
import type { ConnectionFactory } from '../../../lambda/db-bootstrap/sql-client';
import { readServiceMigrations } from '../../../lib/constructs/data/service-migrations';
import type { TestPostgres } from '../../support/postgres';
import { startPostgres } from '../../support/postgres';

/**
 * Service migrations applied by the database bootstrap on a real PostgreSQL: once each, recorded,
 * before the tables are protected (a table a migration creates is under forced RLS when the
 * transaction commits), refused when an applied file changed, and all or nothing.
 */
let pg: TestPostgres;
let database = 0;
let db: string;

async function login(user: string): Promise<Client> {
  const client = new Client({ host: '127.0.0.1', port: pg.port, user, database: db });
  await client.connect();
  return client;
}
const connect: ConnectionFactory = {
  asBootstrapRole: () => login('platform_bootstrap'),
  asMaster: () => login(pg.user),
};
const bootstrap = (migrations: readonly Migration[]) =>
  runBootstrap({ connect, allowMasterFallback: true, migrations });
const migration = (service: string, name: string, sql: string): Migration => ({
  service,
  name,
  sql,
  sha256: sha256Of(sql),
});
async function query<T extends object>(sql: string): Promise<T[]> {
  const client = await login(pg.user);
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

const ORDERS = migration(
  'orders',
  '001_orders.sql',
  'CREATE TABLE app.orders (tenant_id text NOT NULL, order_id text NOT NULL, PRIMARY KEY (tenant_id, order_id));',
);
const ORDERS_INDEX = migration(
  'orders',
  '002_orders_index.sql',
  'CREATE INDEX orders_by_order ON app.orders (order_id);',
);

beforeAll(async () => {
  pg = await startPostgres();
});
afterAll(async () => {
  await pg?.stop();
});
beforeEach(async () => {
  db = `migrations_${++database}`;
  await pg.createDatabase(db);
  // A fresh database on a server whose roles exist: what the first deployment's master step
  // grants (see ensureRolesSql), so each test starts as a new database would.
  const admin = await pg.client();
  try {
    await admin.query(
      `DO $$ BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'platform_bootstrap') THEN ` +
        `GRANT CREATE ON DATABASE ${db} TO platform_bootstrap; END IF; END $$`,
    );
  } finally {
    await admin.end();
  }
});

test('a migration is applied once, recorded, and its table protected in the same run', async () => {
  const first = await bootstrap([ORDERS]);
  expect(first.appliedMigrations).toEqual(['orders/001_orders.sql']);
  expect(first.tenantTables).toContain('app.orders');
  const [table] = await query<{ forced: boolean; enabled: boolean }>(
    "SELECT relforcerowsecurity AS forced, relrowsecurity AS enabled FROM pg_class WHERE oid = 'app.orders'::regclass",
  );
  expect(table).toEqual({ forced: true, enabled: true });
  // CREATE TABLE without IF NOT EXISTS: a second application would fail.
  const second = await bootstrap([ORDERS, ORDERS_INDEX]);
  expect(second.appliedMigrations).toEqual(['orders/002_orders_index.sql']);
  expect(
    await query<{ service: string; name: string; sha256: string }>(
      'SELECT service, name, sha256 FROM platform.schema_migrations ORDER BY name',
    ),
  ).toEqual([
    { service: 'orders', name: '001_orders.sql', sha256: ORDERS.sha256 },
    { service: 'orders', name: '002_orders_index.sql', sha256: ORDERS_INDEX.sha256 },
  ]);
});

test('an applied migration whose file changed is refused, naming it, and nothing else runs', async () => {
  await bootstrap([ORDERS]);
  const changed = migration('orders', '001_orders.sql', `${ORDERS.sql} -- edited`);
  await expect(bootstrap([changed, ORDERS_INDEX])).rejects.toThrow(
    /migration orders\/001_orders.sql was applied with SHA-256 [0-9a-f]{64} and now reads [0-9a-f]{64}.*new file/,
  );
  expect(await query("SELECT 1 FROM pg_class WHERE relname = 'orders_by_order'")).toEqual([]);
});

test('a failing migration rolls the whole run back: no table, no record', async () => {
  const broken = migration('orders', '002_broken.sql', 'ALTER TABLE app.nowhere ADD COLUMN x int;');
  const tables = migration(
    'billing',
    '001_invoices.sql',
    'CREATE TABLE app.invoices (tenant_id text NOT NULL, invoice_id text PRIMARY KEY);',
  );
  await expect(bootstrap([tables, broken])).rejects.toThrow(
    /migration orders\/002_broken.sql failed/,
  );
  expect(await query("SELECT 1 FROM pg_class WHERE relname = 'invoices'")).toEqual([]);
  expect(await query("SELECT 1 FROM pg_class WHERE relname = 'schema_migrations'")).toEqual([]);
});

test('a migration that ends the transaction is refused', async () => {
  const committing = migration('orders', '001_commit.sql', 'COMMIT;');
  await expect(bootstrap([committing])).rejects.toThrow(/ended the bootstrap's transaction/);
});

test('the custom resource applies the Migrations it is given and reports them', async () => {
  const onEvent = createOnEventHandler({
    target: { host: '127.0.0.1', port: pg.port, database: db },
    connect,
  });
  const properties = {
    Migrations: [
      { Service: ORDERS.service, Name: ORDERS.name, Sql: ORDERS.sql, Sha256: ORDERS.sha256 },
    ],
  };
  const response = await onEvent({ RequestType: 'Create', ResourceProperties: properties });
  expect(response.Data?.AppliedMigrations).toBe('orders/001_orders.sql');
  const again = await onEvent({
    RequestType: 'Update',
    PhysicalResourceId: response.PhysicalResourceId,
    ResourceProperties: properties,
  });
  expect(again.Data?.AppliedMigrations).toBe('none');
});

describe('the migrations property and files', () => {
  test('a checksum that does not match its SQL is refused before anything runs', () => {
    expect(() =>
      migrationsOf([
        { Service: 'orders', Name: '001_orders.sql', Sql: 'SELECT 1', Sha256: '0'.repeat(64) },
      ]),
    ).toThrow(/orders\/001_orders.sql does not match its Sha256/);
    expect(() =>
      migrationsOf([{ Service: 'orders', Name: 'orders.sql', Sql: 'x', Sha256: '0' }]),
    ).toThrow(/Migrations\.0\.Name: a file name NNN_<name>.sql/);
  });

  test('the repository: every service migration, in order, with its checksum', () => {
    const found = readServiceMigrations();
    expect(found.map((m) => `${m.service}/${m.name}`)).toContain('documents/001_documents.sql');
    for (const m of found) expect(m.sha256).toBe(sha256Of(m.sql));
  });

  test('a file in a migrations folder with another name is refused, naming it', () => {
    const root = mkdtempSync(join(tmpdir(), 'services-'));
    mkdirSync(join(root, 'orders', 'migrations'), { recursive: true });
    writeFileSync(join(root, 'orders', 'migrations', '001_orders.sql'), 'SELECT 1;');
    writeFileSync(join(root, 'orders', 'migrations', 'add-index.sql'), 'SELECT 1;');
    expect(() => readServiceMigrations(root)).toThrow(
      /services\/orders\/migrations\/add-index.sql: not a migration file name/,
    );
  });
});
