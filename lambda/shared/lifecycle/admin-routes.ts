import type { OperatorScope } from '../identity/claims';

/** A route of the tenant administration API and the operator scopes it accepts (any one). */
export interface AdminRoute {
  readonly id: 'Deactivate' | 'Reactivate' | 'Status' | 'Settings';
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly path: string;
  readonly handler: 'deactivate' | 'reactivate' | 'status' | 'settings';
  readonly scopes: readonly OperatorScope[];
}

/**
 * The admin routes: what the API's JWT authorizer requires (lib/constructs/ingress/admin-api.ts
 * builds its routes from this list) and what the handlers check again themselves.
 */
export const ADMIN_ROUTES: readonly AdminRoute[] = [
  {
    id: 'Deactivate',
    method: 'POST',
    path: '/tenants/{tenantId}/deactivate',
    handler: 'deactivate',
    scopes: ['admin'],
  },
  {
    id: 'Reactivate',
    method: 'POST',
    path: '/tenants/{tenantId}/reactivate',
    handler: 'reactivate',
    scopes: ['admin'],
  },
  {
    id: 'Status',
    method: 'GET',
    path: '/tenants/{tenantId}',
    handler: 'status',
    scopes: ['admin', 'read'],
  },
  {
    id: 'Settings',
    method: 'PUT',
    path: '/tenants/{tenantId}/settings',
    handler: 'settings',
    scopes: ['admin'],
  },
];

/** The route of an HTTP API route key (`POST /tenants/{tenantId}/deactivate`), if it is one. */
export function adminRouteOf(routeKey: string | undefined): AdminRoute | undefined {
  return ADMIN_ROUTES.find((r) => `${r.method} ${r.path}` === routeKey);
}
