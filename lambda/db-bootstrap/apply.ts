import type { DiscoveredTable } from './baseline-sql';
import {
  APPLIED_MIGRATIONS_SQL,
  BOOTSTRAP_ROLE,
  DISCOVER_TABLES_SQL,
  LOCK_SQL,
  TIMEOUTS_SQL,
  ensureRolesSql,
  freezeRegisterSql,
  migrationsRegisterSql,
  protectTenantTableSql,
  RECORD_MIGRATION_SQL,
  referenceTableSql,
  refusedTableSql,
  restoreSentinelSql,
  schemaSql,
  sequenceGrantsSql,
} from './baseline-sql';
import type { Migration } from './migrations';
import { verifyTenantIsolation } from './rls-check';
import type { ConnectionFactory, SqlClient } from './sql-client';

export type Log = (message: string, details?: Record<string, unknown>) => void;

export interface AppliedBaseline {
  /** `schema.table` of each tenant table given RLS, its policy and grants. */
  readonly tenantTables: readonly string[];
  /** `schema.table` of each declared-global table (no `tenant_id`) given read-only grants. */
  readonly referenceTables: readonly string[];
  /** Tables without `tenant_id` not declared global: every grant revoked, the check fails. */
  readonly refusedTables: readonly string[];
  /** Tables the current role cannot alter (another owner): left alone, reported by the check. */
  readonly skippedTables: readonly string[];
  /** `service/name` of each migration applied by this run (those applied before are skipped). */
  readonly appliedMigrations: readonly string[];
}

export interface BootstrapResult extends AppliedBaseline {
  /** Whether the master credentials were used to create the roles (first deployment). */
  readonly usedMasterFallback: boolean;
}

export interface BootstrapOptions {
  readonly connect: ConnectionFactory;
  /**
   * Whether a rejected IAM login may fall back, once, to the master credentials to create the roles.
   * True only when the database is new to this resource (custom-resource Create).
   */
  readonly allowMasterFallback: boolean;
  /** Service migrations to apply first, in order (see migrations.ts). @default none */
  readonly migrations?: readonly Migration[];
  readonly log?: Log;
}

async function inTransaction<T>(client: SqlClient, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

async function run(client: SqlClient, statements: readonly string[]): Promise<void> {
  for (const statement of statements) await client.query(statement);
}

/** Creates the missing roles (and their `rds_iam` membership) in one transaction. */
export async function ensureRoles(client: SqlClient): Promise<void> {
  await inTransaction(client, () => run(client, [LOCK_SQL, ...TIMEOUTS_SQL, ensureRolesSql()]));
}

/**
 * Applies the whole baseline in one transaction: roles present, schema (no default privileges),
 * the freeze register (`platform.frozen_tenants`), then RLS, the freeze policies, the tenant
 * policy and grants on every table the catalogue lists; a table without `tenant_id` is granted
 * read-only only when declared global, and refused otherwise; last, the restore sentinel row
 * records the tables found (see `restoreSentinelSql`). Idempotent.
 */
export async function applyBaseline(
  client: SqlClient,
  migrations: readonly Migration[] = [],
): Promise<AppliedBaseline> {
  return inTransaction(client, async () => {
    await run(client, [
      LOCK_SQL,
      ...TIMEOUTS_SQL,
      ensureRolesSql(),
      ...schemaSql(),
      ...freezeRegisterSql(),
      ...migrationsRegisterSql(),
    ]);
    const appliedMigrations = await applyMigrations(client, migrations);
    const { rows } = await client.query<DiscoveredTable>(DISCOVER_TABLES_SQL);
    const name = (t: DiscoveredTable) => `${t.schema_name}.${t.table_name}`;
    const manageable = rows.filter((t) => t.manageable);
    const kind = (t: DiscoveredTable) =>
      t.tenant_type ? 'tenant' : t.declared_global ? 'global' : 'refused';
    for (const table of manageable) {
      const sql = {
        tenant: protectTenantTableSql,
        global: referenceTableSql,
        refused: refusedTableSql,
      };
      await run(client, sql[kind(table)](table));
    }
    await client.query(sequenceGrantsSql());
    await run(client, restoreSentinelSql());
    return {
      tenantTables: manageable.filter((t) => kind(t) === 'tenant').map(name),
      referenceTables: manageable.filter((t) => kind(t) === 'global').map(name),
      refusedTables: manageable.filter((t) => kind(t) === 'refused').map(name),
      skippedTables: rows.filter((t) => !t.manageable).map(name),
      appliedMigrations,
    };
  });
}

/** Marks the baseline's transaction, so that a migration that ends it is caught. */
const MARK_SQL = "SELECT set_config('platform.bootstrap_transaction', 'open', true)";
const MARKED_SQL = "SELECT current_setting('platform.bootstrap_transaction', true) AS mark";

/**
 * Applies, in order, the migrations not yet in `platform.schema_migrations`, each recorded with
 * its SHA-256, inside the baseline's transaction (so the tables they create are protected before
 * anything commits). An applied migration whose file changed is refused, as is one that ends the
 * transaction (COMMIT or ROLLBACK in its SQL) or leaves a role set.
 */
async function applyMigrations(
  client: SqlClient,
  migrations: readonly Migration[],
): Promise<string[]> {
  const { rows } = await client.query<{ service: string; name: string; sha256: string }>(
    APPLIED_MIGRATIONS_SQL,
  );
  const applied = new Map(rows.map((r) => [`${r.service}/${r.name}`, r.sha256]));
  const done: string[] = [];
  for (const migration of migrations) {
    const id = `${migration.service}/${migration.name}`;
    const before = applied.get(id);
    if (before === migration.sha256) continue;
    if (before !== undefined) {
      throw new Error(
        `migration ${id} was applied with SHA-256 ${before} and now reads ${migration.sha256}: ` +
          `an applied migration never changes. Fix: restore services/${id} and put the change ` +
          `in a new file after it (services/${migration.service}/migrations/NNN_<name>.sql).`,
      );
    }
    await client.query(MARK_SQL);
    try {
      await client.query(migration.sql);
    } catch (error) {
      throw new Error(`migration ${id} failed: ${message(error)}`, { cause: error });
    }
    const mark = await client.query<{ mark: string | null }>(MARKED_SQL);
    if (mark.rows[0]?.mark !== 'open') {
      throw new Error(
        `migration ${id} ended the bootstrap's transaction (COMMIT or ROLLBACK in its SQL). ` +
          'Fix: remove transaction control from the file; the bootstrap runs it in its own.',
      );
    }
    await client.query('RESET ROLE');
    await client.query(RECORD_MIGRATION_SQL, [migration.service, migration.name, migration.sha256]);
    done.push(id);
  }
  return done;
}

/**
 * A login refused by the server: SQLSTATE 28000 (e.g. `role "platform_bootstrap" does not exist`)
 * or 28P01 (an IAM token for a role without `rds_iam` is rejected as a failed password/PAM login).
 */
export function isLoginRejected(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '28000' || code === '28P01';
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Connects as `platform_bootstrap` with IAM authentication and applies the baseline, then runs the
 * tenant-isolation check, which throws naming every table or role at fault.
 *
 * First deployment (chicken and egg): IAM authentication needs a role that is a member of
 * `rds_iam`, and no such role exists in a new cluster. So when the IAM login is refused and
 * `allowMasterFallback` is set, the master credentials are used once, only to create the roles
 * (with `rds_iam`) and let `platform_bootstrap` create schema `app`; everything else runs as
 * `platform_bootstrap`. This means the bootstrap function can read the master secret: the cost of
 * not needing a manual step on a new cluster.
 *
 * The baseline is committed before the check runs: protections already applied are never rolled
 * back because another table could not be protected.
 */
export async function runBootstrap(options: BootstrapOptions): Promise<BootstrapResult> {
  const log: Log = options.log ?? (() => undefined);
  let usedMasterFallback = false;
  let client: SqlClient;
  try {
    client = await options.connect.asBootstrapRole();
  } catch (error) {
    if (!options.allowMasterFallback || !isLoginRejected(error)) {
      throw new Error(
        `Cannot log in as ${BOOTSTRAP_ROLE} with IAM authentication: ${message(error)}`,
        {
          cause: error,
        },
      );
    }
    log('IAM login refused; creating the roles with the master credentials (first deployment)', {
      reason: message(error),
    });
    const master = await options.connect.asMaster();
    try {
      await ensureRoles(master);
    } finally {
      await master.end();
    }
    usedMasterFallback = true;
    try {
      client = await options.connect.asBootstrapRole();
    } catch (retryError) {
      throw new Error(
        `${BOOTSTRAP_ROLE} was created with rds_iam, but its IAM login still fails ` +
          `(check rds-db:connect for dbuser:<cluster resource id>/${BOOTSTRAP_ROLE} and that IAM ` +
          `database authentication is on): ${message(retryError)}`,
        { cause: retryError },
      );
    }
  }
  try {
    const applied = await applyBaseline(client, options.migrations);
    log('Baseline applied', { ...applied });
    await verifyTenantIsolation(client);
    return { ...applied, usedMasterFallback };
  } finally {
    await client.end();
  }
}
