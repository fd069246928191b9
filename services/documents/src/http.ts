import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a route handler returns: the server writes it, so handlers stay pure and testable. */
export interface Reply {
  readonly status: number;
  readonly body: unknown;
}

/** One request as a handler sees it: path parameters, headers and the JSON body (if any). */
export interface RequestContext {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly headers: IncomingMessage['headers'];
  /** The parsed JSON body; undefined when there is none. */
  readonly body: unknown;
  /** The request's id (the load balancer's trace root, else a UUID): on every log line. */
  readonly requestId: string;
  /** Fields the request's log lines carry, set as they become known (the verified tenant). */
  readonly logFields: RequestLogFields;
}

/** What a request's log lines say besides the request id (never personal data). */
export interface RequestLogFields {
  tenantId?: string;
}

/** A route handler: one per route, given the request, answering a reply. */
export type Handler = (request: RequestContext) => Reply | Promise<Reply>;

/** One route: method and path; `{name}` segments are path parameters. */
export interface Route {
  readonly method: string;
  readonly path: string;
  readonly handler: Handler;
}

/** A JSON error reply: `error` is a stable code, `message` says why and what to do instead. */
export function errorReply(
  status: number,
  error: string,
  message: string,
  extra: Record<string, unknown> = {},
): Reply {
  return { status, body: { error, message, ...extra } };
}

export const notFound: Reply = errorReply(404, 'NOT_FOUND', 'no such route');

/** Largest request body accepted: requests carry metadata only, files go straight to S3. */
export const MAX_BODY_BYTES = 16 * 1024;

/** The request's body as JSON; undefined when empty; an error reply when too large or not JSON. */
export async function readJsonBody(request: IncomingMessage): Promise<unknown | Reply> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      return errorReply(413, 'BODY_TOO_LARGE', `send at most ${MAX_BODY_BYTES} bytes of JSON`);
    }
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return errorReply(400, 'INVALID_JSON', 'the body is not valid JSON: send a JSON object');
  }
}

export function isReply(value: unknown): value is Reply {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Reply).status === 'number' &&
    'body' in value
  );
}

export function writeReply(response: ServerResponse, reply: Reply, requestId?: string): void {
  const body = JSON.stringify(reply.body);
  response.writeHead(reply.status, {
    ...(requestId ? { 'x-request-id': requestId } : {}),
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  response.end(body);
}
