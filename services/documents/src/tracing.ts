/**
 * Tracing of the service (OpenTelemetry, exported over OTLP/HTTP to the task's collector sidecar,
 * which sends to AWS X-Ray): one server span per request, child spans for its database queries
 * (pg), AWS SDK calls and other outgoing HTTPS requests; X-Ray trace ids and the X-Ray trace
 * header (`X-Amzn-Trace-Id`) propagated on outgoing calls.
 *
 * Off unless `OTEL_EXPORTER_OTLP_ENDPOINT` is set, and off when `OTEL_SDK_DISABLED=true`: then
 * nothing of the SDK is loaded (no start-up cost) and `traceRequest` answers undefined.
 *
 * Never personal data in a span: the instrumentations' attributes are filtered to an allowlist
 * (method, status, route pattern, database, AWS service and operation, host names); the URL, its
 * path values and query, the user agent and the client address are dropped. `tenant.id` and
 * `request.id` are the only attributes the service adds.
 */
import type { Attributes, Span } from '@opentelemetry/api';
import type { startSdk } from './tracing-sdk';

/** What starting tracing answers: flush and stop (on SIGTERM, before the process exits). */
export interface Tracing {
  shutdown(): Promise<void>;
}

/** The tracing settings of the environment, or undefined when tracing is off. */
export interface TracingSettings {
  /** Base URL of the OTLP/HTTP receiver (`/v1/traces` is appended). */
  readonly endpoint: string;
  readonly serviceName: string;
  /** Share of requests without a sampled parent that are traced (0 to 1). */
  readonly sampleRatio: number;
}

/** The variables tracing reads (beside `VARIABLES` of config.ts), with their meaning. */
export const TRACING_VARIABLES = {
  OTEL_EXPORTER_OTLP_ENDPOINT:
    "the OTLP/HTTP receiver's base URL (the collector sidecar); unset: tracing off",
  OTEL_SDK_DISABLED: 'true turns tracing off whatever the endpoint',
  OTEL_SERVICE_NAME: 'the service name in its traces (default documents)',
  OTEL_TRACES_SAMPLER_ARG: 'share of requests traced without a caller decision, 0 to 1 (default 1)',
} as const;

/** Reads `OTEL_*` variables; throws naming the variable and the fix when one is malformed. */
export function tracingSettings(env: NodeJS.ProcessEnv): TracingSettings | undefined {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (!endpoint) return undefined;
  if (!/^https?:\/\/[^/\s]+/.test(endpoint)) {
    throw new Error(
      `OTEL_EXPORTER_OTLP_ENDPOINT: the OTLP/HTTP receiver's base URL (got "${endpoint}"); ` +
        'set it to e.g. http://localhost:4318, or unset it to turn tracing off',
    );
  }
  const ratioText = env.OTEL_TRACES_SAMPLER_ARG?.trim() || '1';
  const sampleRatio = Number(ratioText);
  if (!Number.isFinite(sampleRatio) || sampleRatio < 0 || sampleRatio > 1) {
    throw new Error(
      `OTEL_TRACES_SAMPLER_ARG: the share of requests traced, a number from 0 to 1 (got "${ratioText}")`,
    );
  }
  return {
    endpoint: endpoint.replace(/\/+$/, ''),
    serviceName: env.OTEL_SERVICE_NAME?.trim() || 'documents',
    sampleRatio,
  };
}

/** Attributes a span may keep: exact names, and these prefixes (database, AWS, RPC, cloud). */
const KEPT = new Set([
  'http.method',
  'http.request.method',
  'http.status_code',
  'http.response.status_code',
  'http.route',
  'http.flavor',
  'http.scheme',
  'network.protocol.version',
  'server.address',
  'server.port',
  'net.peer.name',
  'net.peer.port',
  'net.host.name',
  'net.host.port',
  'error.type',
  'tenant.id',
  'request.id',
]);
const KEPT_PREFIXES = ['db.', 'aws.', 'rpc.', 'cloud.', 'otel.'];

/** The attributes of `attributes` that may leave the task (the allowlist above). */
export function keptAttributes(attributes: Attributes): Attributes {
  const kept: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (KEPT.has(key) || KEPT_PREFIXES.some((prefix) => key.startsWith(prefix))) {
      kept[key] = value;
    }
  }
  return kept;
}

/**
 * Starts tracing when the environment asks for it: must run before `http`, `pg` and the AWS SDK
 * are loaded (see `instrument.ts`, main.ts's first import), so that their instrumentations
 * patch them as they load. Answers undefined when tracing is off.
 */
export function startTracing(env: NodeJS.ProcessEnv): Tracing | undefined {
  const settings = tracingSettings(env);
  if (!settings) return undefined;
  // Loaded only when tracing is on: the SDK costs start-up time that an off switch should not.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require('./tracing-sdk') as { startSdk: typeof startSdk };
  const started = sdk.startSdk(settings);
  activeSpan = started.activeSpan;
  return { shutdown: started.shutdown };
}

/** The span of the current request; set once tracing has started (nothing loaded before). */
let activeSpan: () => Span | undefined = () => undefined;

/** What the server knows of a request once it is answered. */
export interface TracedRequest {
  readonly method: string;
  /** The route pattern (`/documents/{id}`), never the path with its values. */
  readonly route: string;
  readonly requestId: string;
  readonly tenantId?: string;
}

/**
 * Names the request's server span by its route and gives it the request and tenant ids; answers
 * the trace id in X-Ray form (`1-xxxxxxxx-yyyyyyyyyyyyyyyyyyyyyyyy`) for the request's log line,
 * or undefined when the request is not traced (tracing off, or not sampled).
 */
export function traceRequest(request: TracedRequest): string | undefined {
  const span = activeSpan();
  if (!span?.isRecording()) return undefined;
  span.updateName(`${request.method} ${request.route}`);
  span.setAttribute('http.route', request.route);
  span.setAttribute('request.id', request.requestId);
  if (request.tenantId) span.setAttribute('tenant.id', request.tenantId);
  const id = span.spanContext().traceId;
  return `1-${id.slice(0, 8)}-${id.slice(8)}`;
}
