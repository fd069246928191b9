import { TENANT_CLAIM, TENANT_SESSION_TAG } from '../shared/identity/claims';
import type { Verification } from '../shared/identity/jwt';
import type { LifecycleState } from '../shared/lifecycle/states';
import { isTenantId } from '../shared/lifecycle/tenant';

/** Temporary credentials of the tenant session role. */
export interface TenantCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: string;
}

export interface VendDeps {
  /** Verifies a tenant pool access token (signature, issuer, client, expiry). */
  readonly verify: (token: string) => Promise<Verification>;
  readonly stateOf: (tenantId: string) => Promise<LifecycleState | undefined>;
  /** AssumeRole on the tenant session role with the session tag `tenant-id=<tenantId>`. */
  readonly assumeTenantRole: (tenantId: string) => Promise<TenantCredentials>;
}

export type VendResult =
  | { readonly ok: true; readonly tenantId: string; readonly credentials: TenantCredentials }
  | { readonly ok: false; readonly reason: string };

/** The session tags the vending function sets: the tenant, nothing else. */
export function sessionTags(tenantId: string): { Key: string; Value: string }[] {
  return [{ Key: TENANT_SESSION_TAG, Value: tenantId }];
}

/**
 * The token-vending core: the tenant comes from the verified token's `tenant_id` claim (set by the
 * tenant pool's pre-token-generation trigger) and from nothing else; any tenant named in the
 * request is ignored. A token that fails verification, lacks the claim or names a tenant that is
 * not ACTIVE gets no credentials.
 */
export async function vendCredentials(request: unknown, deps: VendDeps): Promise<VendResult> {
  const token = (request as { token?: unknown } | null)?.token;
  if (typeof token !== 'string') return { ok: false, reason: 'field token is missing' };
  const verified = await deps.verify(token);
  if (!verified.ok) return { ok: false, reason: `token rejected: ${verified.reason}` };
  const tenantId = verified.claims[TENANT_CLAIM];
  if (!isTenantId(tenantId)) return { ok: false, reason: `token has no ${TENANT_CLAIM} claim` };
  const state = await deps.stateOf(tenantId);
  if (state !== 'ACTIVE') return { ok: false, reason: `tenant is ${state ?? 'unknown'}` };
  return { ok: true, tenantId, credentials: await deps.assumeTenantRole(tenantId) };
}
