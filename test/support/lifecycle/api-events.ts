import type { AdminApiEvent } from '../../../lambda/shared/lifecycle/api';

/** An operator's verified claims, as the JWT authorizer passes them (tenants.admin scope). */
export const OPERATOR_CLAIMS = {
  sub: 'admin-sub-1',
  token_use: 'access',
  scope: 'https://admin.example/tenants.admin',
};

/** A payload-v2 HTTP API event as the JWT authorizer passes it. */
export function apiEvent(
  tenantId: string | undefined,
  options: { body?: string; claims?: Record<string, string>; routeKey?: string } = {},
): AdminApiEvent {
  return {
    version: '2.0',
    routeKey: options.routeKey ?? 'POST /tenants/{tenantId}/deactivate',
    rawPath: `/tenants/${tenantId}`,
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    pathParameters: tenantId === undefined ? undefined : { tenantId },
    body: options.body,
    isBase64Encoded: false,
    requestContext: {
      accountId: '111111111111',
      apiId: 'api',
      domainName: 'admin.example',
      domainPrefix: 'admin',
      http: {
        method: 'POST',
        path: '/',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'jest',
      },
      requestId: 'req',
      routeKey: options.routeKey ?? 'POST /tenants/{tenantId}/deactivate',
      stage: '$default',
      time: '',
      timeEpoch: 0,
      authorizer: {
        principalId: '',
        integrationLatency: 0,
        jwt: { claims: options.claims ?? OPERATOR_CLAIMS, scopes: ['tenants/admin'] },
      },
    },
  } as AdminApiEvent;
}
