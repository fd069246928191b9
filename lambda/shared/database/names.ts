/**
 * The names every side of the database agrees on: the baseline SQL creates these roles, the
 * constructs grant `rds-db:connect` as them and pass them to the functions, and the handlers log in
 * as them. Change a name here and all three follow.
 */

/** Logs in with IAM; owns schema `app` and its tables (migrations and the bootstrap run as it). */
export const BOOTSTRAP_ROLE = 'platform_bootstrap';
/** The application: DML on tenant tables under forced row-level security. */
export const APP_ROLE = 'app_user';
/** The archive worker: SELECT and DELETE on tenant tables, with the tenant set per transaction. */
export const LIFECYCLE_ROLE = 'lifecycle_worker';

/**
 * Restore validation: logs in to clusters restored by restore testing; NOBYPASSRLS, owns nothing,
 * SELECT on the restore sentinel only (it reads the catalogue and that one table).
 */
export const RESTORE_VALIDATION_ROLE = 'restore_validator';

/** Schema of the platform's own bookkeeping (the restore sentinel), owned by the bootstrap role. */
export const PLATFORM_SCHEMA = 'platform';
/** The table the bootstrap writes the restore sentinel row to, which restore validation checks. */
export const RESTORE_SENTINEL_TABLE = 'restore_sentinel';
/** Id of the sentinel row. */
export const RESTORE_SENTINEL_ID = 'baseline';

/** The database the tenant tables live in (the one the tenant-partitioning bootstrap applies to). */
export const TENANT_DATABASE = 'postgres';

/** The port of every platform database (Aurora PostgreSQL). */
export const DATABASE_PORT = 5432;

/**
 * The freeze register (created by the database bootstrap): `platform.frozen_tenants` lists the
 * tenants whose archive has started; the application role cannot write their rows.
 */
export const FREEZE_SCHEMA = 'platform';
export const FROZEN_TENANTS_TABLE = 'frozen_tenants';

/** The register of applied service migrations (`platform.schema_migrations`), one row per file. */
export const MIGRATIONS_TABLE = 'schema_migrations';
