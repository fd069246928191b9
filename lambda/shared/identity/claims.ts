/**
 * The identity contract between the platform's two kinds of principal (ARCHITECTURE.md section 7).
 *
 * - Operators sign in to the operator pool (or use its machine client); only that pool has the
 *   resource server whose scopes are named here, so only operator tokens can carry them.
 * - Tenant users sign in to the tenant pool; their tokens carry {@link TENANT_CLAIM}, which the
 *   pre-token-generation trigger copies from {@link TENANT_ATTRIBUTE}, an immutable attribute that
 *   only an administrator (AdminCreateUser) sets and that no app client may write.
 */

/** The operator scopes' names (in tokens: `<resource server identifier>/<name>`). */
export const OPERATOR_SCOPES = {
  admin: 'tenants.admin',
  read: 'tenants.read',
} as const;
export type OperatorScope = keyof typeof OPERATOR_SCOPES;

/** Whether a scope (`<resource server>/<name>` or a bare name) is an operator scope. */
export function isOperatorScope(scope: string): boolean {
  const name = scope.slice(scope.lastIndexOf('/') + 1);
  return name.startsWith('tenants.');
}

/** The claim a tenant user's tokens carry: the user's tenant id, set only by the platform. */
export const TENANT_CLAIM = 'tenant_id';

/** The user attribute the tenant claim is read from (custom, immutable, admin-written only). */
export const TENANT_ATTRIBUTE = 'custom:tenant_id';

/** The tag key of tenant sessions (the file access policy's `aws:PrincipalTag/tenant-id`). */
export const TENANT_SESSION_TAG = 'tenant-id';
