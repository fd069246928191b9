import { isOperatorScope, OPERATOR_SCOPES, TENANT_CLAIM } from '../identity/claims';
import type { AdminApiEvent } from './api';
import { adminRouteOf } from './admin-routes';

/** Who called, as far as the verified claims say; for the refusal log (never the token). */
export interface Caller {
  readonly sub?: string;
  readonly clientId?: string;
  readonly issuer?: string;
}

export type OperatorDecision =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly reason: string;
      readonly caller: Caller;
      readonly route: string;
    };

/**
 * Defence in depth behind the JWT authorizer: the handler itself requires an operator access
 * token with one of the route's operator scopes, and refuses any token that carries a tenant
 * claim (a tenant user's token is never an operator's), whatever the authorizer let through.
 * An unknown route is refused: every admin route must be listed in ADMIN_ROUTES.
 */
export function checkOperator(event: AdminApiEvent): OperatorDecision {
  const claims = event?.requestContext?.authorizer?.jwt?.claims ?? {};
  const routeKey = event?.routeKey ?? '';
  const caller: Caller = {
    sub: typeof claims.sub === 'string' ? claims.sub : undefined,
    clientId: typeof claims.client_id === 'string' ? claims.client_id : undefined,
    issuer: typeof claims.iss === 'string' ? claims.iss : undefined,
  };
  const no = (reason: string): OperatorDecision => ({ ok: false, reason, caller, route: routeKey });
  const route = adminRouteOf(routeKey);
  if (!route) return no('not an admin route');
  if (claims.token_use !== 'access') return no('not an access token');
  if (TENANT_CLAIM in claims || 'custom:tenant_id' in claims) return no('a tenant user token');
  const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
  const wanted = route.scopes.map((s) => OPERATOR_SCOPES[s]);
  const granted = scopes.filter(isOperatorScope).map((s) => s.slice(s.lastIndexOf('/') + 1));
  if (!wanted.some((w) => granted.includes(w))) {
    return no(`no operator scope of ${wanted.join(' or ')}`);
  }
  return { ok: true };
}
