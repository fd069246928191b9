import type { SqlClient } from './sql-client';
import {
  APP_ROLE,
  APP_SCHEMA,
  BOOTSTRAP_ROLE,
  LIFECYCLE_ROLE,
  TENANT_COLUMN,
  TENANT_SETTING,
  literal,
} from './baseline-sql';

/**
 * The tenant-isolation check: every tenant table (a table of schema `app` with a `tenant_id`
 * column, discovered from the catalogue) must have RLS enabled and forced, a policy for all commands
 * whose predicate uses the `tenant_id` column and `current_setting('app.tenant_id', ...)`, and no
 * permissive policy that is not keyed on the tenant (permissive policies are OR-ed, so one such
 * policy would widen access). The roles must not be superusers or bypass RLS, and the application
 * roles must not own (and so be able to un-force RLS on) any table of the schema.
 *
 * "Keyed on the setting" is read from the policy's deparsed expression (text match) and its
 * recorded dependency on the `tenant_id` column: it proves the policy involves both, not that the
 * expression is the exact equality the bootstrap writes.
 */

const KEYED = `LIKE ${literal(`%current_setting('${TENANT_SETTING}'%`)}`;

export const TENANT_TABLE_CHECK_SQL = `
SELECT n.nspname AS schema_name,
       c.relname AS table_name,
       c.relrowsecurity AS rls_enabled,
       c.relforcerowsecurity AS rls_forced,
       pg_get_userbyid(c.relowner) AS owner_name,
       pg_has_role(current_user, c.relowner, 'USAGE') AS manageable,
       EXISTS (
         SELECT 1 FROM pg_policy p
          WHERE p.polrelid = c.oid AND p.polcmd = '*'
            AND pg_get_expr(p.polqual, p.polrelid) ${KEYED}
            AND (p.polwithcheck IS NULL OR pg_get_expr(p.polwithcheck, p.polrelid) ${KEYED})
            AND EXISTS (
              SELECT 1 FROM pg_depend d
               WHERE d.classid = 'pg_policy'::regclass AND d.objid = p.oid
                 AND d.refobjid = c.oid AND d.refobjsubid = a.attnum)
       ) AS has_tenant_policy,
       ARRAY(
         SELECT p.polname::text FROM pg_policy p
          WHERE p.polrelid = c.oid AND p.polpermissive
            AND NOT ((p.polqual IS NULL OR pg_get_expr(p.polqual, p.polrelid) ${KEYED})
                 AND (p.polwithcheck IS NULL OR pg_get_expr(p.polwithcheck, p.polrelid) ${KEYED}))
          ORDER BY p.polname
       ) AS widening_policies
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_attribute a
    ON a.attrelid = c.oid AND a.attname = ${literal(TENANT_COLUMN)} AND a.attnum > 0 AND NOT a.attisdropped
 WHERE n.nspname = ${literal(APP_SCHEMA)} AND c.relkind IN ('r', 'p')
 ORDER BY n.nspname, c.relname`;

export const ROLE_CHECK_SQL = `
SELECT r.name AS role_name,
       ro.rolname IS NOT NULL AS present,
       COALESCE(ro.rolsuper, false) AS superuser,
       COALESCE(ro.rolbypassrls, false) AS bypass_rls,
       ARRAY(
         SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE ro.rolname IS NOT NULL AND r.name <> ${literal(BOOTSTRAP_ROLE)}
            AND n.nspname = ${literal(APP_SCHEMA)} AND c.relkind IN ('r', 'p')
            AND pg_has_role(ro.oid, c.relowner, 'MEMBER')
          ORDER BY 1
       ) AS owned_tables
  FROM unnest(ARRAY[${[BOOTSTRAP_ROLE, APP_ROLE, LIFECYCLE_ROLE].map(literal).join(', ')}]) AS r(name)
  LEFT JOIN pg_roles ro ON ro.rolname = r.name
 ORDER BY r.name`;

export interface TenantTableRow {
  readonly schema_name: string;
  readonly table_name: string;
  readonly rls_enabled: boolean;
  readonly rls_forced: boolean;
  readonly owner_name: string;
  /** Whether the role running the check can alter the table (is, or acts as, its owner). */
  readonly manageable: boolean;
  readonly has_tenant_policy: boolean;
  readonly widening_policies: readonly string[];
}

export interface RoleRow {
  readonly role_name: string;
  readonly present: boolean;
  readonly superuser: boolean;
  readonly bypass_rls: boolean;
  readonly owned_tables: readonly string[];
}

/** One table or role that breaks tenant isolation, and why. */
export interface Finding {
  /** `schema.table` or `role <name>`. */
  readonly subject: string;
  readonly problems: readonly string[];
}

export function tableFindings(rows: readonly TenantTableRow[]): Finding[] {
  return rows.flatMap((row) => {
    const problems = [
      ...(row.rls_enabled ? [] : ['row-level security not enabled']),
      ...(row.rls_forced ? [] : ['row-level security not forced']),
      ...(row.has_tenant_policy ? [] : [`no policy keyed on ${TENANT_SETTING}`]),
      ...row.widening_policies.map(
        (p) => `permissive policy ${p} is not keyed on ${TENANT_SETTING}`,
      ),
    ];
    if (problems.length && !row.manageable) {
      problems.push(`owned by ${row.owner_name}, which the bootstrap cannot act as`);
    }
    return problems.length ? [{ subject: `${row.schema_name}.${row.table_name}`, problems }] : [];
  });
}

export function roleFindings(rows: readonly RoleRow[]): Finding[] {
  return rows.flatMap((row) => {
    const problems = row.present
      ? [
          ...(row.superuser ? ['is a superuser'] : []),
          ...(row.bypass_rls ? ['has BYPASSRLS'] : []),
          ...row.owned_tables.map((t) => `owns ${t} (an owner can disable row-level security)`),
        ]
      : ['does not exist'];
    return problems.length ? [{ subject: `role ${row.role_name}`, problems }] : [];
  });
}

export class TenantIsolationError extends Error {
  constructor(readonly findings: readonly Finding[]) {
    super(
      `Tenant isolation check failed for ${findings.map((f) => f.subject).join(', ')}: ` +
        findings.map((f) => `${f.subject} (${f.problems.join('; ')})`).join(', '),
    );
    this.name = 'TenantIsolationError';
  }
}

/** Runs the check; every finding, or none. */
export async function findIsolationProblems(client: SqlClient): Promise<Finding[]> {
  const tables = await client.query<TenantTableRow>(TENANT_TABLE_CHECK_SQL);
  const roles = await client.query<RoleRow>(ROLE_CHECK_SQL);
  return [...tableFindings(tables.rows), ...roleFindings(roles.rows)];
}

/** Runs the check and throws a {@link TenantIsolationError} naming each table or role at fault. */
export async function verifyTenantIsolation(client: SqlClient): Promise<void> {
  const findings = await findIsolationProblems(client);
  if (findings.length) throw new TenantIsolationError(findings);
}
