import { readFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { ServiceConfig } from './config';
import { randomUUID } from 'node:crypto';
import type { Reply, RequestContext, RequestLogFields, Route } from './http';
import { errorReply, isReply, notFound, readJsonBody, writeReply } from './http';
import { logLine, requestIdOf } from './log';
import { traceRequest } from './tracing';

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

/** The request's id and log fields, as dispatch fills them. */
export interface RequestMeta {
  readonly requestId: string;
  readonly logFields: RequestLogFields;
}

/** Answer one request: its route's reply, 404 when none matches, 500 (logged) when one throws. */
export async function dispatch(
  routes: readonly Route[],
  request: IncomingMessage,
  meta: RequestMeta = { requestId: randomUUID(), logFields: {} },
): Promise<Reply> {
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
      requestId: meta.requestId,
      logFields: meta.logFields,
    };
    return await match.route.handler(context);
  } catch (error) {
    logLine('error', 'handler failed', {
      requestId: meta.requestId,
      ...meta.logFields,
      route: match.route.path,
      error: String(error),
    });
    return errorReply(500, 'INTERNAL', 'internal error; retrying the same request is safe');
  }
}

/** The HTTP(S) server of the service; not yet listening. */
export function createServer(config: Pick<ServiceConfig, 'tls'>, routes: readonly Route[]): Server {
  const listener = (request: IncomingMessage, response: ServerResponse) => {
    const started = process.hrtime.bigint();
    const meta: RequestMeta = {
      requestId: requestIdOf(request.headers['x-amzn-trace-id'], randomUUID),
      logFields: {},
    };
    void dispatch(routes, request, meta).then((reply) => {
      const route = routeOf(routes, request.method ?? 'GET', request.url ?? '/')?.route.path;
      // Before the reply: the server span ends when the response does.
      const traceId = traceRequest({
        method: request.method ?? 'GET',
        route: route ?? 'unrouted',
        requestId: meta.requestId,
        tenantId: meta.logFields.tenantId,
      });
      writeReply(response, reply, meta.requestId);
      // The load balancer's health checks are not requests of anyone: not logged when healthy.
      if (route === '/health' && reply.status === 200) return;
      logLine(reply.status >= 500 ? 'error' : 'info', 'request', {
        requestId: meta.requestId,
        ...meta.logFields,
        traceId,
        method: request.method,
        route: route ?? 'unrouted',
        status: reply.status,
        durationMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
      });
    });
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
