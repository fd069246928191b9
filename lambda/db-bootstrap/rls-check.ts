import type { SqlClient } from './sql-client';
import {
  APP_ROLE,
  APP_SCHEMA,
  BOOTSTRAP_ROLE,
  GLOBAL_COMMENT_PREFIX,
  LIFECYCLE_ROLE,
  RESTORE_VALIDATION_ROLE,
  TENANT_COLUMN,
  FREEZE_POLICIES,
  TENANT_POLICY,
  TENANT_SETTING,
  ident,
  literal,
  tenantPoliciesSql,
} from './baseline-sql';

/**
 * The tenant-isolation check, read exactly from the catalogue:
 *
 * - every tenant table (a table of schema `app` with a `tenant_id` column) has RLS enabled and
 *   forced, and exactly one permissive policy: `tenant_isolation`, for ALL commands, to PUBLIC,
 *   whose USING and WITH CHECK expressions are, as PostgreSQL deparses them (`pg_policies`), the
 *   very expressions of the baseline's predicate; and the three restrictive freeze policies
 *   (`tenant_frozen_insert/update/delete`, to `app_user`) exactly as the baseline creates them. The expected text is not written here: it is
 *   what this server deparses for the baseline policy on a temporary probe table, so the check is
 *   exact on every PostgreSQL version. Any other permissive policy fails the check (permissive
 *   policies are OR-ed, so one would widen access); restrictive policies only narrow it;
 * - `app_user` holds no TRUNCATE, REFERENCES or TRIGGER on a tenant table (TRUNCATE skips RLS);
 * - a table without `tenant_id` is declared global (`COMMENT ... IS 'global: <why>'`) and the
 *   application may only read it; otherwise it fails the check, whoever may touch it;
 * - the roles are not superusers, do not bypass RLS, and the application roles own no table.
 */

export const TABLE_CHECK_SQL = `
SELECT n.nspname AS schema_name,
       c.relname AS table_name,
       format_type(a.atttypid, a.atttypmod) AS tenant_type,
       c.relrowsecurity AS rls_enabled,
       c.relforcerowsecurity AS rls_forced,
       pg_get_userbyid(c.relowner) AS owner_name,
       pg_has_role(current_user, c.relowner, 'USAGE') AS manageable,
       COALESCE(obj_description(c.oid, 'pg_class') LIKE ${literal(`${GLOBAL_COMMENT_PREFIX}%`)}, false)
         AS declared_global,
       ARRAY(
         SELECT p FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE',
                                    'REFERENCES', 'TRIGGER']) AS p
          WHERE has_table_privilege(${literal(APP_ROLE)}, c.oid, p)
       ) AS app_privileges
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_attribute a
    ON a.attrelid = c.oid AND a.attname = ${literal(TENANT_COLUMN)} AND a.attnum > 0 AND NOT a.attisdropped
 WHERE n.nspname = ${literal(APP_SCHEMA)} AND c.relkind IN ('r', 'p')
 ORDER BY n.nspname, c.relname`;

export const POLICY_CHECK_SQL = `
SELECT schemaname AS schema_name, tablename AS table_name, policyname AS policy_name,
       permissive, roles::text[] AS roles, cmd, qual, with_check
  FROM pg_policies
 WHERE schemaname = ${literal(APP_SCHEMA)}
 ORDER BY tablename, policyname`;

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
  FROM unnest(ARRAY[${[BOOTSTRAP_ROLE, APP_ROLE, LIFECYCLE_ROLE, RESTORE_VALIDATION_ROLE].map(literal).join(', ')}]) AS r(name)
  LEFT JOIN pg_roles ro ON ro.rolname = r.name
 ORDER BY r.name`;

export interface TableRow {
  readonly schema_name: string;
  readonly table_name: string;
  /** The `tenant_id` column's type, or null for a table without it. */
  readonly tenant_type: string | null;
  readonly rls_enabled: boolean;
  readonly rls_forced: boolean;
  readonly owner_name: string;
  /** Whether the role running the check can alter the table (is, or acts as, its owner). */
  readonly manageable: boolean;
  readonly declared_global: boolean;
  /** The table privileges `app_user` holds. */
  readonly app_privileges: readonly string[];
}

export interface PolicyRow {
  readonly schema_name: string;
  readonly table_name: string;
  readonly policy_name: string;
  readonly permissive: 'PERMISSIVE' | 'RESTRICTIVE';
  readonly roles: readonly string[];
  readonly cmd: string;
  readonly qual: string | null;
  readonly with_check: string | null;
}

export interface RoleRow {
  readonly role_name: string;
  readonly present: boolean;
  readonly superuser: boolean;
  readonly bypass_rls: boolean;
  readonly owned_tables: readonly string[];
}

/** One policy as `pg_policies` shows it, without its table. */
export type CanonicalPolicy = Pick<
  PolicyRow,
  'permissive' | 'roles' | 'cmd' | 'qual' | 'with_check'
>;

/** The baseline's policies as this server deparses them, per `tenant_id` type, by policy name. */
export type CanonicalPolicies = ReadonlyMap<string, ReadonlyMap<string, CanonicalPolicy>>;

/** One table or role that breaks tenant isolation, and why. */
export interface Finding {
  /** `schema.table` or `role <name>`. */
  readonly subject: string;
  readonly problems: readonly string[];
}

/** Why a policy differs from the baseline's, one entry per field; empty when equal. */
function policyDifferences(policy: PolicyRow, canonical: CanonicalPolicy) {
  const roles = (r: readonly string[]) => [...r].sort().join(', ');
  return [
    ...(policy.permissive === canonical.permissive
      ? []
      : [`not ${canonical.permissive.toLowerCase()}`]),
    ...(policy.cmd === canonical.cmd ? [] : [`for ${policy.cmd}, not ${canonical.cmd}`]),
    ...(roles(policy.roles) === roles(canonical.roles)
      ? []
      : [
          `to ${policy.roles.join(', ')}, not ${roles(canonical.roles).replace('public', 'PUBLIC')}`,
        ]),
    ...(policy.qual === canonical.qual ? [] : [`USING ${policy.qual ?? '(none)'}`]),
    ...(policy.with_check === canonical.with_check
      ? []
      : [`WITH CHECK ${policy.with_check ?? '(none)'}`]),
  ];
}

function tenantTableProblems(
  row: TableRow,
  policies: readonly PolicyRow[],
  canonical: CanonicalPolicies,
): string[] {
  const expected = canonical.get(row.tenant_type ?? '') ?? new Map<string, CanonicalPolicy>();
  const policyProblems = (name: string): string[] => {
    const policy = policies.find((p) => p.policy_name === name);
    const baseline = expected.get(name);
    if (!policy) {
      return name === TENANT_POLICY
        ? [`no policy keyed on ${TENANT_SETTING}`]
        : [`no freeze policy ${name} (writes of a frozen tenant would be accepted)`];
    }
    const differences = baseline ? policyDifferences(policy, baseline) : [];
    return differences.length
      ? [`policy ${name} is not the baseline's (${differences.join('; ')})`]
      : [];
  };
  const extraGrants = row.app_privileges.filter(
    (p) => !['SELECT', 'INSERT', 'UPDATE', 'DELETE'].includes(p),
  );
  return [
    ...(row.rls_enabled ? [] : ['row-level security not enabled']),
    ...(row.rls_forced ? [] : ['row-level security not forced']),
    ...policyProblems(TENANT_POLICY),
    // Without the tenant policy the table is unprotected anyway: that one finding says it.
    ...(policies.some((p) => p.policy_name === TENANT_POLICY)
      ? FREEZE_POLICIES.flatMap((p) => policyProblems(p.name))
      : []),
    ...policies
      .filter((p) => p.permissive === 'PERMISSIVE' && p.policy_name !== TENANT_POLICY)
      .map(
        (p) =>
          `permissive policy ${p.policy_name} widens access (only ${TENANT_POLICY} may be permissive)`,
      ),
    ...(extraGrants.length ? [`${APP_ROLE} holds ${extraGrants.join(', ')}`] : []),
  ];
}

function otherTableProblems(row: TableRow): string[] {
  if (!row.declared_global) {
    return [
      `has no ${TENANT_COLUMN} column and is not declared global ` +
        `(add ${TENANT_COLUMN}, or COMMENT ON TABLE ... IS '${GLOBAL_COMMENT_PREFIX} <why>')`,
    ];
  }
  const writes = row.app_privileges.filter((p) => p !== 'SELECT');
  return writes.length ? [`global table, but ${APP_ROLE} holds ${writes.join(', ')}`] : [];
}

export function tableFindings(
  rows: readonly TableRow[],
  policies: readonly PolicyRow[],
  canonical: CanonicalPolicies,
): Finding[] {
  return rows.flatMap((row) => {
    const own = policies.filter(
      (p) => p.schema_name === row.schema_name && p.table_name === row.table_name,
    );
    const problems = row.tenant_type
      ? tenantTableProblems(row, own, canonical)
      : otherTableProblems(row);
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

/**
 * The baseline's policies (tenant and freeze) for each type, as this server deparses them:
 * created on a temporary table inside a transaction that is always rolled back.
 */
export async function canonicalPolicies(
  client: SqlClient,
  types: readonly string[],
): Promise<CanonicalPolicies> {
  const result = new Map<string, Map<string, CanonicalPolicy>>();
  for (const [i, type] of [...new Set(types)].entries()) {
    const probe = `rls_probe_${i}`;
    await client.query('BEGIN');
    try {
      await client.query(
        `CREATE TEMPORARY TABLE ${ident(probe)} (${ident(TENANT_COLUMN)} ${type})`,
      );
      for (const statement of tenantPoliciesSql(ident(probe), type)) await client.query(statement);
      const { rows } = await client.query<CanonicalPolicy & { policy_name: string }>(
        `SELECT policyname AS policy_name, permissive, roles::text[] AS roles, cmd, qual, with_check
           FROM pg_policies
          WHERE schemaname = (SELECT nspname FROM pg_namespace WHERE oid = pg_my_temp_schema())
            AND tablename = ${literal(probe)}`,
      );
      result.set(type, new Map(rows.map(({ policy_name, ...policy }) => [policy_name, policy])));
    } finally {
      await client.query('ROLLBACK');
    }
  }
  return result;
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
  const tables = await client.query<TableRow>(TABLE_CHECK_SQL);
  const policies = await client.query<PolicyRow>(POLICY_CHECK_SQL);
  const roles = await client.query<RoleRow>(ROLE_CHECK_SQL);
  const types = tables.rows.flatMap((t) => (t.tenant_type ? [t.tenant_type] : []));
  const canonical = await canonicalPolicies(client, types);
  return [...tableFindings(tables.rows, policies.rows, canonical), ...roleFindings(roles.rows)];
}

/** Runs the check and throws a {@link TenantIsolationError} naming each table or role at fault. */
export async function verifyTenantIsolation(client: SqlClient): Promise<void> {
  const findings = await findIsolationProblems(client);
  if (findings.length) throw new TenantIsolationError(findings);
}
