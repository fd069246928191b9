import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { TENANT_ATTRIBUTE, TENANT_CLAIM } from '../shared/identity/claims';
import type { LifecycleState } from '../shared/lifecycle/states';
import { isTenantId } from '../shared/lifecycle/tenant';

/** Reads a tenant's lifecycle state (strongly consistent); undefined for an unknown tenant. */
export type StateOf = (tenantId: string) => Promise<LifecycleState | undefined>;

/** Thrown to make Cognito refuse the sign-in or refresh: no token is issued. */
export class TokenRefused extends Error {
  constructor(reason: string) {
    super(`token refused: ${reason}`);
    this.name = 'TokenRefused';
  }
}

/**
 * The pre-token-generation (V2) core of the tenant pool: every token of a tenant user (sign-in,
 * refresh, new-password challenge) carries `tenant_id`, copied from the user's immutable
 * `custom:tenant_id` (written only by AdminCreateUser; no app client may write it), and only
 * while the tenant is ACTIVE in the registry. A user without the attribute, of an unknown tenant
 * or of a tenant in any other state gets no token at all. The trigger never adds a scope, and it
 * overrides any `tenant_id` the request might have carried.
 */
export async function addTenantClaim(
  event: PreTokenGenerationV2TriggerEvent,
  stateOf: StateOf,
): Promise<PreTokenGenerationV2TriggerEvent> {
  const tenantId = event.request?.userAttributes?.[TENANT_ATTRIBUTE];
  if (!isTenantId(tenantId)) throw new TokenRefused(`the user has no valid ${TENANT_ATTRIBUTE}`);
  const state = await stateOf(tenantId);
  if (state !== 'ACTIVE') {
    throw new TokenRefused(`tenant ${tenantId} is ${state ?? 'not in the registry'}, not ACTIVE`);
  }
  const claims = { [TENANT_CLAIM]: tenantId };
  return {
    ...event,
    response: {
      claimsAndScopeOverrideDetails: {
        idTokenGeneration: { claimsToAddOrOverride: claims },
        accessTokenGeneration: { claimsToAddOrOverride: claims },
      },
    },
  };
}
