import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a route handler returns: the server writes it, so handlers stay pure and testable. */
export interface Reply {
  readonly status: number;
  readonly body: unknown;
}

/** A route handler: one per route, given the request, answering a reply. */
export type Handler = (request: IncomingMessage) => Reply | Promise<Reply>;

/** One route: method and exact path. */
export interface Route {
  readonly method: string;
  readonly path: string;
  readonly handler: Handler;
}

export const notFound: Reply = {
  status: 404,
  body: { error: 'NOT_FOUND', message: 'no such route' },
};

export function writeReply(response: ServerResponse, reply: Reply): void {
  const body = JSON.stringify(reply.body);
  response.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  response.end(body);
}
