/**
 * The baseline SQL for tenant partitioning in the database (pooled model, ARCHITECTURE.md section 7).
 * Pure: every export builds SQL text; nothing here talks to a database.
 *
 * Roles:
 * - `platform_bootstrap`: logs in with IAM; owns schema `app` and its tables (migrations run as it);
 *   subject to row-level security like everyone else, because RLS is FORCED on tenant tables.
 * - `app_user`: the application; LOGIN, NOBYPASSRLS, owns nothing; DML on tenant tables, SELECT only
 *   on reference tables, never TRUNCATE (TRUNCATE is not subject to RLS).
 * - `lifecycle_worker`: the archive worker; NOBYPASSRLS; SELECT and DELETE on tenant tables only,
 *   with the tenant set per transaction.
 * - `restore_validator`: restore validation on restored copies; NOBYPASSRLS, owns nothing, no grant
 *   on schema `app`; SELECT on `platform.restore_sentinel` only (and the public catalogue).
 */

import {
  APP_ROLE,
  BOOTSTRAP_ROLE,
  FREEZE_SCHEMA,
  FROZEN_TENANTS_TABLE,
  LIFECYCLE_ROLE,
  MIGRATIONS_TABLE,
  PLATFORM_SCHEMA,
  RESTORE_SENTINEL_ID,
  RESTORE_SENTINEL_TABLE,
  RESTORE_VALIDATION_ROLE,
} from '../shared/database/names';

export const APP_SCHEMA = 'app';
export const TENANT_COLUMN = 'tenant_id';
export const TENANT_SETTING = 'app.tenant_id';
export const TENANT_POLICY = 'tenant_isolation';

// The role names live in one module shared with the constructs and the handlers.
export {
  APP_ROLE,
  BOOTSTRAP_ROLE,
  FREEZE_SCHEMA,
  FROZEN_TENANTS_TABLE,
  LIFECYCLE_ROLE,
  RESTORE_VALIDATION_ROLE,
};

/** The function the freeze policies call: true when a tenant is frozen for closure. */
export const FROZEN_FUNCTION = 'tenant_frozen';

/**
 * The restrictive policies that freeze a tenant's rows once its archive has started, one per
 * write command, to `app_user` only: the archive worker (which must still read and delete) and
 * every role's reads are unaffected.
 */
export const FREEZE_POLICIES = [
  { name: 'tenant_frozen_insert', cmd: 'INSERT' },
  { name: 'tenant_frozen_update', cmd: 'UPDATE' },
  { name: 'tenant_frozen_delete', cmd: 'DELETE' },
] as const;

/** The roles the bootstrap creates, each with the attributes it is created with. */
export const ROLES: readonly { readonly name: string; readonly attributes: string }[] = [
  { name: BOOTSTRAP_ROLE, attributes: 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS' },
  { name: APP_ROLE, attributes: 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS' },
  { name: LIFECYCLE_ROLE, attributes: 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS' },
  {
    name: RESTORE_VALIDATION_ROLE,
    attributes: 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS',
  },
];

/** A double-quoted SQL identifier. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A single-quoted SQL string literal. */
export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function qualified(schema: string, table: string): string {
  return `${ident(schema)}.${ident(table)}`;
}

/** Serialises concurrent bootstraps of the same database (two deployments racing). */
export const LOCK_SQL = `SELECT pg_advisory_xact_lock(hashtext('platform-db-bootstrap'))`;

/** Fail fast instead of queueing behind long transactions for the ACCESS EXCLUSIVE locks. */
export const TIMEOUTS_SQL = [
  `SET LOCAL lock_timeout = '10s'`,
  `SET LOCAL statement_timeout = '120s'`,
];

/**
 * Creates the missing roles and grants them `rds_iam` when that role exists (Aurora/RDS; plain
 * PostgreSQL in tests has none). Needs CREATEROLE and the right to grant `rds_iam`, so on the first
 * deployment it runs with the master credentials. Afterwards, as `platform_bootstrap` (no
 * CREATEROLE), it is a no-op when everything is in place and raises a clear error otherwise.
 * Existing roles are never altered here (changing BYPASSRLS needs superuser); the check asserts
 * their attributes instead.
 */
export function ensureRolesSql(): string {
  const steps = ROLES.map(
    ({ name, attributes }) => `
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${literal(name)}) THEN
    CREATE ROLE ${ident(name)} ${attributes};
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rds_iam')
     AND NOT pg_has_role(${literal(name)}, 'rds_iam', 'MEMBER') THEN
    GRANT rds_iam TO ${ident(name)};
  END IF;`,
  ).join('');
  return `DO $bootstrap$
BEGIN${steps}
  IF NOT has_database_privilege(${literal(BOOTSTRAP_ROLE)}, current_database(), 'CREATE') THEN
    EXECUTE format('GRANT CREATE ON DATABASE %I TO ${BOOTSTRAP_ROLE}', current_database());
  END IF;
END
$bootstrap$`;
}

/**
 * Creates schema `name` owned by `platform_bootstrap`, or checks that an existing one is: a schema
 * another role owns fails the bootstrap with the statement that fixes it.
 */
function ownedSchemaSql(name: string): string {
  const schema = ident(name);
  return `DO $bootstrap$
DECLARE
  owner_name name;
BEGIN
  SELECT pg_get_userbyid(nspowner) INTO owner_name FROM pg_namespace WHERE nspname = ${literal(name)};
  IF owner_name IS NULL THEN
    CREATE SCHEMA ${schema} AUTHORIZATION ${ident(BOOTSTRAP_ROLE)};
  ELSIF owner_name <> ${literal(BOOTSTRAP_ROLE)} THEN
    RAISE EXCEPTION 'schema ${name} is owned by %, not ${BOOTSTRAP_ROLE}', owner_name
      USING HINT = 'As its owner, run: ALTER SCHEMA ${name} OWNER TO ${BOOTSTRAP_ROLE}';
  END IF;
END
$bootstrap$`;
}

/**
 * Schema `app` owned by `platform_bootstrap`, usable (not creatable) by the application roles.
 *
 * No default privileges on tables: `app_user` gets nothing on a table until the bootstrap grants
 * it, in the same transaction that enables and forces row-level security and creates the tenant
 * policy. A table created by a migration between deploys is therefore unreachable by every
 * tenant role (permission denied) until the next bootstrap protects it: isolation fails closed.
 * (The alternative, an event trigger on `ddl_command_end`, needs a superuser to create and fires
 * for every role's DDL; `platform_bootstrap` is deliberately not one.) The REVOKE removes the
 * default privileges that earlier versions of the bootstrap granted. Run as `platform_bootstrap`.
 */
export function schemaSql(): string[] {
  const schema = ident(APP_SCHEMA);
  return [
    ownedSchemaSql(APP_SCHEMA),
    `REVOKE ALL ON SCHEMA ${schema} FROM PUBLIC`,
    `GRANT USAGE ON SCHEMA ${schema} TO ${ident(APP_ROLE)}, ${ident(LIFECYCLE_ROLE)}`,
    `ALTER DEFAULT PRIVILEGES FOR ROLE ${ident(BOOTSTRAP_ROLE)} IN SCHEMA ${schema}
  REVOKE ALL ON TABLES FROM ${ident(APP_ROLE)}`,
    `ALTER DEFAULT PRIVILEGES FOR ROLE ${ident(BOOTSTRAP_ROLE)} IN SCHEMA ${schema}
  GRANT USAGE, SELECT ON SEQUENCES TO ${ident(APP_ROLE)}`,
  ];
}

/**
 * The freeze register: schema `platform` (owned by `platform_bootstrap`, outside schema `app`, so
 * never taken for tenant data) with `platform.frozen_tenants`, one row per tenant whose archive
 * has started. The archive worker inserts its tenant there first thing on every run (idempotent);
 * rows are never deleted (an archived tenant can never be live again), and they hold ids only.
 * `app_user` cannot read the table: the freeze policies call `platform.tenant_frozen(text)`, a
 * SECURITY DEFINER function with a fixed search path, which answers for one tenant id at a time.
 * Run as `platform_bootstrap`; idempotent.
 */
export function freezeRegisterSql(): string[] {
  const schema = ident(FREEZE_SCHEMA);
  const table = qualified(FREEZE_SCHEMA, FROZEN_TENANTS_TABLE);
  const fn = `${qualified(FREEZE_SCHEMA, FROZEN_FUNCTION)}(text)`;
  return [
    ownedSchemaSql(FREEZE_SCHEMA),
    `CREATE TABLE IF NOT EXISTS ${table} (
  tenant_id text PRIMARY KEY CHECK (length(tenant_id) BETWEEN 1 AND 128),
  archive_id text NOT NULL CHECK (length(archive_id) BETWEEN 1 AND 128),
  frozen_at timestamptz NOT NULL DEFAULT now()
)`,
    `CREATE OR REPLACE FUNCTION ${fn} RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
  AS $fn$ SELECT EXISTS (SELECT 1 FROM ${table} WHERE tenant_id = $1) $fn$`,
    `REVOKE ALL ON SCHEMA ${schema} FROM PUBLIC`,
    `GRANT USAGE ON SCHEMA ${schema} TO ${ident(APP_ROLE)}, ${ident(LIFECYCLE_ROLE)}`,
    `REVOKE ALL ON ${table} FROM PUBLIC, ${ident(APP_ROLE)}, ${ident(LIFECYCLE_ROLE)}`,
    `GRANT SELECT, INSERT ON ${table} TO ${ident(LIFECYCLE_ROLE)}`,
    `REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`,
    `GRANT EXECUTE ON FUNCTION ${fn} TO ${ident(APP_ROLE)}, ${ident(LIFECYCLE_ROLE)}`,
  ];
}

/** The freeze predicate of a policy: the row's tenant is not frozen. */
export function notFrozenPredicate(): string {
  return `NOT ${qualified(FREEZE_SCHEMA, FROZEN_FUNCTION)}((${ident(TENANT_COLUMN)})::text)`;
}

/**
 * The freeze policies of the table named `name` (already quoted): INSERT and UPDATE of a frozen
 * tenant's row by `app_user` fail (WITH CHECK: "new row violates row-level security policy
 * tenant_frozen_insert/update"); a DELETE matches none of its rows.
 */
export function freezePoliciesSql(name: string): string[] {
  const notFrozen = notFrozenPredicate();
  const clauses: Record<(typeof FREEZE_POLICIES)[number]['cmd'], string> = {
    INSERT: `WITH CHECK (${notFrozen})`,
    UPDATE: `USING (true) WITH CHECK (${notFrozen})`,
    DELETE: `USING (${notFrozen})`,
  };
  return FREEZE_POLICIES.map(
    (p) =>
      `CREATE POLICY ${ident(p.name)} ON ${name} AS RESTRICTIVE FOR ${p.cmd} TO ${ident(APP_ROLE)}
  ${clauses[p.cmd]}`,
  );
}

/** Every policy a tenant table carries (`name` already quoted): the tenant policy, then the freeze. */
export function tenantPoliciesSql(name: string, tenantType: string): string[] {
  const predicate = tenantPredicate(tenantType);
  return [
    `CREATE POLICY ${ident(TENANT_POLICY)} ON ${name} AS PERMISSIVE FOR ALL TO PUBLIC
  USING (${predicate})
  WITH CHECK (${predicate})`,
    ...freezePoliciesSql(name),
  ];
}

/**
 * How a migration declares a table without `tenant_id` to be shared by all tenants (reference
 * data): `COMMENT ON TABLE app.<table> IS 'global: <why>'`. Any other table without the column is
 * refused: no role but its owner can touch it, and the isolation check fails naming it.
 */
export const GLOBAL_COMMENT_PREFIX = 'global:';

/**
 * Every table (plain or partitioned) of schema `app`, whether it has a `tenant_id` column (a tenant
 * table) or not (a reference table), the column's type, and whether the current role may alter it.
 */
export const DISCOVER_TABLES_SQL = `
SELECT n.nspname AS schema_name,
       c.relname AS table_name,
       format_type(a.atttypid, a.atttypmod) AS tenant_type,
       pg_has_role(current_user, c.relowner, 'USAGE') AS manageable,
       COALESCE(obj_description(c.oid, 'pg_class') LIKE ${literal(`${GLOBAL_COMMENT_PREFIX}%`)}, false)
         AS declared_global
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_attribute a
    ON a.attrelid = c.oid AND a.attname = ${literal(TENANT_COLUMN)} AND a.attnum > 0 AND NOT a.attisdropped
 WHERE n.nspname = ${literal(APP_SCHEMA)} AND c.relkind IN ('r', 'p')
 ORDER BY c.relname`;

export interface DiscoveredTable {
  readonly schema_name: string;
  readonly table_name: string;
  /** The `tenant_id` column's type, or null for a reference table. */
  readonly tenant_type: string | null;
  readonly manageable: boolean;
  /** Whether a table without `tenant_id` is declared global (see GLOBAL_COMMENT_PREFIX). */
  readonly declared_global: boolean;
}

/**
 * The tenant predicate: the row's tenant equals the session's `app.tenant_id`. `current_setting(_,
 * true)` is NULL when the setting was never set, and '' after a transaction-local value has ended:
 * both become NULL, so the comparison is never true and a session without a tenant sees nothing.
 * Casting the setting (not the column) keeps indexes on `tenant_id` usable.
 */
export function tenantPredicate(tenantType: string): string {
  return `${ident(TENANT_COLUMN)} = NULLIF(current_setting(${literal(TENANT_SETTING)}, true), '')::${tenantType}`;
}

/**
 * RLS enabled and forced (the owner too), one policy for every command with the same predicate for
 * reading (USING) and writing (WITH CHECK), the restrictive freeze policies (writes refused once
 * the tenant is in `platform.frozen_tenants`), and the grants of each role. DROP + CREATE in the
 * bootstrap's transaction: no moment without a policy, and the definition is always current.
 */
export function protectTenantTableSql(table: DiscoveredTable): string[] {
  if (!table.tenant_type) throw new Error(`${table.table_name} has no ${TENANT_COLUMN} column`);
  const name = qualified(table.schema_name, table.table_name);
  return [
    `ALTER TABLE ${name} ENABLE ROW LEVEL SECURITY`,
    `ALTER TABLE ${name} FORCE ROW LEVEL SECURITY`,
    ...[TENANT_POLICY, ...FREEZE_POLICIES.map((p) => p.name)].map(
      (policy) => `DROP POLICY IF EXISTS ${ident(policy)} ON ${name}`,
    ),
    ...tenantPoliciesSql(name, table.tenant_type),
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ${name} TO ${ident(APP_ROLE)}`,
    `REVOKE TRUNCATE, REFERENCES, TRIGGER ON ${name} FROM ${ident(APP_ROLE)}`,
    `GRANT SELECT, DELETE ON ${name} TO ${ident(LIFECYCLE_ROLE)}`,
    `REVOKE INSERT, UPDATE, TRUNCATE, REFERENCES, TRIGGER ON ${name} FROM ${ident(LIFECYCLE_ROLE)}`,
  ];
}

/** A table without `tenant_id` that is not declared global: no tenant role may touch it. */
export function refusedTableSql(table: DiscoveredTable): string[] {
  const name = qualified(table.schema_name, table.table_name);
  return [
    `REVOKE ALL ON ${name} FROM ${ident(APP_ROLE)}`,
    `REVOKE ALL ON ${name} FROM ${ident(LIFECYCLE_ROLE)}`,
  ];
}

/** Reference data shared by all tenants: readable by the application, written only by migrations. */
export function referenceTableSql(table: DiscoveredTable): string[] {
  const name = qualified(table.schema_name, table.table_name);
  return [
    `GRANT SELECT ON ${name} TO ${ident(APP_ROLE)}`,
    `REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ${name} FROM ${ident(APP_ROLE)}`,
    `REVOKE ALL ON ${name} FROM ${ident(LIFECYCLE_ROLE)}`,
  ];
}

/** Sequences (serial columns) of schema `app` that the current role can grant: usable by the app. */
export function sequenceGrantsSql(): string {
  return `DO $bootstrap$
DECLARE
  seq regclass;
BEGIN
  FOR seq IN
    SELECT c.oid::regclass FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = ${literal(APP_SCHEMA)} AND c.relkind = 'S'
       AND pg_has_role(current_user, c.relowner, 'USAGE')
  LOOP
    EXECUTE format('GRANT USAGE, SELECT ON SEQUENCE %s TO ${APP_ROLE}', seq);
  END LOOP;
END
$bootstrap$`;
}

/**
 * The restore sentinel: schema `platform` (owned by `platform_bootstrap`, usable only by
 * `restore_validator`) and its one table, readable only by `restore_validator`. Every bootstrap
 * rewrites the sentinel row with the tables of schema `app` it found, so that a restored copy can
 * be checked against what the live database held: restore validation fails a copy without the
 * row (an empty restore) or missing one of the listed tables (a short restore). Run as
 * `platform_bootstrap`, after the tables are protected, in the same transaction.
 */
export function restoreSentinelSql(): string[] {
  const schema = ident(PLATFORM_SCHEMA);
  const table = qualified(PLATFORM_SCHEMA, RESTORE_SENTINEL_TABLE);
  const validator = ident(RESTORE_VALIDATION_ROLE);
  return [
    `CREATE SCHEMA IF NOT EXISTS ${schema} AUTHORIZATION ${ident(BOOTSTRAP_ROLE)}`,
    `REVOKE ALL ON SCHEMA ${schema} FROM PUBLIC`,
    `GRANT USAGE ON SCHEMA ${schema} TO ${validator}`,
    `CREATE TABLE IF NOT EXISTS ${table} (
  id text PRIMARY KEY,
  app_tables text[] NOT NULL,
  written_at timestamptz NOT NULL
)`,
    `REVOKE ALL ON ${table} FROM PUBLIC`,
    `GRANT SELECT ON ${table} TO ${validator}`,
    `INSERT INTO ${table} (id, app_tables, written_at)
SELECT ${literal(RESTORE_SENTINEL_ID)},
       ARRAY(SELECT n.nspname || '.' || c.relname
               FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = ${literal(APP_SCHEMA)} AND c.relkind IN ('r', 'p')
              ORDER BY 1),
       now()
ON CONFLICT (id) DO UPDATE SET app_tables = EXCLUDED.app_tables, written_at = EXCLUDED.written_at`,
  ];
}

/**
 * The register of applied service migrations, `platform.schema_migrations` (the schema is the
 * freeze register's, created before it): one row per file with its SHA-256, readable by no one
 * but its owner. Run as `platform_bootstrap`, in the baseline's transaction; idempotent.
 */
export function migrationsRegisterSql(): string[] {
  const table = qualified(PLATFORM_SCHEMA, MIGRATIONS_TABLE);
  return [
    `CREATE TABLE IF NOT EXISTS ${table} (
  service text NOT NULL,
  name text NOT NULL,
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  applied_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (service, name)
)`,
    `REVOKE ALL ON ${table} FROM PUBLIC`,
  ];
}

export const APPLIED_MIGRATIONS_SQL = `SELECT service, name, sha256 FROM ${qualified(PLATFORM_SCHEMA, MIGRATIONS_TABLE)}`;
export const RECORD_MIGRATION_SQL = `INSERT INTO ${qualified(PLATFORM_SCHEMA, MIGRATIONS_TABLE)} (service, name, sha256) VALUES ($1, $2, $3)`;
