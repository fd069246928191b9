import { readFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { ServiceConfig } from './config';
import type { Reply, RequestContext, Route } from './http';
import { errorReply, isReply, notFound, readJsonBody, writeReply } from './http';

/** A route matched to a path, with its path parameters. */
export interface Match {
  readonly route: Route;
  readonly params: Record<string, string>;
}

/** Match `path` against a route pattern (`/documents/{id}/download`); parameters are decoded. */
function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const name = /^\{(\w+)\}$/.exec(want[i])?.[1];
    if (name) {
      if (got[i] === '') return undefined;
      try {
        params[name] = decodeURIComponent(got[i]);
      } catch {
        return undefined;
      }
    } else if (want[i] !== got[i]) {
      return undefined;
    }
  }
  return params;
}

/** Find the route of a request by method and path (the query string is ignored). */
export function routeOf(routes: readonly Route[], method: string, url: string): Match | undefined {
  const path = new URL(url, 'http://localhost').pathname;
  for (const route of routes) {
    if (route.method !== method) continue;
    const params = matchPath(route.path, path);
    if (params) return { route, params };
  }
  return undefined;
}

/** Answer one request: its route's reply, 404 when none matches, 500 (logged) when one throws. */
export async function dispatch(routes: readonly Route[], request: IncomingMessage): Promise<Reply> {
  const method = request.method ?? 'GET';
  const url = request.url ?? '/';
  const match = routeOf(routes, method, url);
  if (!match) return notFound;
  try {
    const body = method === 'GET' ? undefined : await readJsonBody(request);
    if (isReply(body)) return body;
    const context: RequestContext = {
      method,
      path: new URL(url, 'http://localhost').pathname,
      params: match.params,
      headers: request.headers,
      body,
    };
    return await match.route.handler(context);
  } catch (error) {
    console.error(
      JSON.stringify({ level: 'error', message: 'handler failed', error: String(error) }),
    );
    return errorReply(500, 'INTERNAL', 'internal error; retrying the same request is safe');
  }
}

/** The HTTP(S) server of the service; not yet listening. */
export function createServer(config: Pick<ServiceConfig, 'tls'>, routes: readonly Route[]): Server {
  const listener = (request: IncomingMessage, response: ServerResponse) => {
    void dispatch(routes, request).then((reply) => writeReply(response, reply));
  };
  const server = config.tls
    ? createHttpsServer(
        {
          cert: readFileSync(config.tls.certFile),
          key: readFileSync(config.tls.keyFile),
          minVersion: 'TLSv1.2',
        },
        listener,
      )
    : createHttpServer(listener);
  // Longer than the load balancer's idle timeout (60 s), so the balancer closes idle connections.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return server;
}
