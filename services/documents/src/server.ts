import { readFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { ServiceConfig } from './config';
import type { Reply, Route } from './http';
import { notFound, writeReply } from './http';

/** Find the route of a request by method and path (the query string is ignored). */
export function routeOf(routes: readonly Route[], method: string, url: string): Route | undefined {
  const path = new URL(url, 'http://localhost').pathname;
  return routes.find((r) => r.method === method && r.path === path);
}

/** Answer one request: its route's reply, 404 when none matches, 500 (logged) when one throws. */
export async function dispatch(routes: readonly Route[], request: IncomingMessage): Promise<Reply> {
  const route = routeOf(routes, request.method ?? 'GET', request.url ?? '/');
  if (!route) return notFound;
  try {
    return await route.handler(request);
  } catch (error) {
    console.error(
      JSON.stringify({ level: 'error', message: 'handler failed', error: String(error) }),
    );
    return { status: 500, body: { error: 'INTERNAL', message: 'internal error' } };
  }
}

/** The HTTP(S) server of the service; not yet listening. */
export function createServer(config: ServiceConfig, routes: readonly Route[]): Server {
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
