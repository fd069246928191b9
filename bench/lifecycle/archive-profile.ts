import type { Client } from 'pg';
import {
  applyLogisticsSchema,
  createWorkerRole,
  seedTenant,
  TENANT_TABLES,
  WORKER_ROLE,
} from '../../test/lambda/shared/archive/fixtures/logistics-schema';
import { deleteStatement } from '../../lambda/shared/archive/row-deletion';
import { exportSelect } from '../../lambda/shared/archive/table-export';
import { startPostgres } from '../../test/support/postgres';

/**
 * Where the archive's database time goes: seeds one tenant of `rows` rows (default 250k and 1M;
 * `npx tsx bench/lifecycle/archive-profile.ts 1000000` for one size), then, as the worker role and inside
 * one transaction per table, runs EXPLAIN (ANALYZE, BUFFERS) on the statements the
 * archive runs per table (taken from the engine's modules): the live row count, the export
 * query (its cursor plan, then all rows fetched through a cursor) and the deleting statement with
 * its digest (children before parents, so that the foreign keys hold). Each table in its own
 * transaction, committed as the engine commits each table's deletion. The per-row foreign key
 * checks appear as "Trigger for constraint ..." lines. It prints plans; it asserts nothing.
 */
const DEFAULT_SIZES = [250_000, 1_000_000];
const ORDER = ['invoices', 'proof_of_delivery', 'parcels', 'shipments'] as const;

/** The statements the engine runs per table, from the engine's own modules. */
const engineStatements: Statements = (table) => {
  const { text: exported } = exportSelect('app', {
    name: table,
    primaryKey: ['tenant_id', 'id'],
    rowSecurity: true,
    rowSecurityForced: true,
  }); // the whole table as one chunk: no bound parameters
  return [
    { label: 'live row count', sql: `SELECT count(*) AS n FROM app.${table} WHERE tenant_id = $1` },
    {
      label: 'export (cursor plan, no ANALYZE)',
      sql: `DECLARE profile_cursor NO SCROLL CURSOR FOR ${exported}`,
      analyze: false,
    },
    { label: 'export (all rows fetched)', sql: exported, fetch: true },
    { label: 'delete with digest', sql: deleteStatement('app', table), timing: true },
  ];
};

type Statements = (
  table: string,
) => { label: string; sql: string; analyze?: boolean; fetch?: boolean; timing?: boolean }[];

async function explain(
  client: Client,
  sql: string,
  tenantId: string,
  analyze: boolean,
  timing: boolean,
): Promise<string[]> {
  // Per-node timing only where asked (the delete: it shows the foreign key triggers' time).
  const options = analyze ? `(ANALYZE, BUFFERS, TIMING ${timing ? 'ON' : 'OFF'})` : '';
  const plan = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${options} ${sql}`, [
    tenantId,
  ]);
  return plan.rows.map((r) => r['QUERY PLAN']);
}

/** Runs `sql` through a cursor to the last row, as the export does (rows discarded). */
async function fetchAll(client: Client, sql: string, tenantId: string): Promise<string[]> {
  await client.query(`DECLARE profile_fetch NO SCROLL CURSOR FOR ${sql}`, [tenantId]);
  let rows = 0;
  for (;;) {
    const batch = await client.query({
      text: 'FETCH FORWARD 10000 FROM profile_fetch',
      rowMode: 'array',
    });
    if (batch.rows.length === 0) break;
    rows += batch.rows.length;
  }
  await client.query('CLOSE profile_fetch');
  return [`${rows} rows fetched`];
}

/** Plans of `statements(table)` for each table, one committed transaction per table. */
async function profile(client: Client, tenantId: string, statements: Statements): Promise<void> {
  for (const table of ORDER) {
    await client.query('BEGIN');
    try {
      await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
      for (const { label, sql, analyze = true, fetch = false, timing = false } of statements(
        table,
      )) {
        const t0 = performance.now();
        const lines = fetch
          ? await fetchAll(client, sql, tenantId)
          : await explain(client, sql, tenantId, analyze, timing);
        const ms = performance.now() - t0;
        console.log(`\n  -- ${table}: ${label} (${(ms / 1000).toFixed(2)} s wall)`);
        for (const line of lines) console.log(`     ${line}`);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  }
}

export async function runArchiveProfile(statements: Statements, sizes = DEFAULT_SIZES) {
  const pg = await startPostgres();
  try {
    await pg.createDatabase('profile');
    const admin = await pg.client('profile');
    await createWorkerRole(admin);
    await applyLogisticsSchema(admin);
    for (const rows of sizes) {
      const tenantId = `profile-${rows}`;
      await seedTenant(admin, tenantId, rows / 5);
      await admin.query('ANALYZE');
      const worker = await pg.client('profile');
      await worker.query(`SET ROLE ${WORKER_ROLE}`);
      console.log(`\n== ${rows} rows (${TENANT_TABLES.length} tables) ==`);
      await profile(worker, tenantId, statements);
      await worker.end();
    }
    await admin.end();
  } finally {
    await pg.stop();
  }
}

if (require.main === module) {
  const sizes = process.argv.slice(2).map(Number).filter(Boolean);
  runArchiveProfile(engineStatements, sizes.length ? sizes : DEFAULT_SIZES).catch(
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
