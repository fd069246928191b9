import { NOT_IMPLEMENTED_BODY } from './body';

/** A request as API Gateway (HTTP API, payload 2.0) passes it; only the route is read. */
export interface RouteEvent {
  readonly routeKey?: string;
}

export interface PlaceholderResponse {
  readonly statusCode: 501;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * The placeholder behind the tenant administration routes until the lifecycle handlers are
 * attached: 501 and a JSON body naming the route. No settings (its contract is empty), no AWS
 * calls, no state.
 */
export const handler = async (event: RouteEvent): Promise<PlaceholderResponse> => ({
  statusCode: 501,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  body: JSON.stringify({ ...NOT_IMPLEMENTED_BODY, route: event.routeKey }),
});
