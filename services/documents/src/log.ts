/**
 * The service's log lines: one JSON object per line on stdout/stderr (the awslogs driver ships
 * them to the service's log group), always with `requestId` when a request is concerned and
 * `tenantId` once the token has been verified. Never personal data: no token, no user id (`sub`),
 * no file name, no body; paths are route patterns (`/documents/{id}`).
 */
export type LogLevel = 'info' | 'warn' | 'error';

export function logLine(level: LogLevel, message: string, fields: Record<string, unknown> = {}) {
  const line = JSON.stringify({ level, time: new Date().toISOString(), message, ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.info(line);
}

/** The load balancer's trace id (`Root=1-…`), or a new id when the request has none. */
export function requestIdOf(traceHeader: string | string[] | undefined, fallback: () => string) {
  const header = Array.isArray(traceHeader) ? traceHeader[0] : traceHeader;
  const root = /(?:^|;)Root=(1-[0-9a-f]{8}-[0-9a-f]{24})(?:;|$)/.exec(header ?? '')?.[1];
  return root ?? fallback();
}
