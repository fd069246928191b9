/**
 * The OpenTelemetry SDK of the service, loaded by `startTracing` only when tracing is on (see
 * tracing.ts for what is traced and what never leaves the task).
 */
import type { Span } from '@opentelemetry/api';
import { trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { AWSXRayIdGenerator } from '@opentelemetry/id-generator-aws-xray';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { AwsInstrumentation } from '@opentelemetry/instrumentation-aws-sdk';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { AWSXRayPropagator } from '@opentelemetry/propagator-aws-xray';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-node';
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-node';
import type { Tracing, TracingSettings } from './tracing';
import { keptAttributes } from './tracing';

/** An exporter that sends only the allowlisted attributes of each span, and no event but errors. */
function allowlisted(exporter: SpanExporter): SpanExporter {
  const filtered = (span: ReadableSpan): ReadableSpan =>
    Object.create(span, {
      attributes: { value: keptAttributes(span.attributes) },
      // Exception events carry the error's type, message and stack; other events are dropped.
      events: { value: span.events.filter((event) => event.name === 'exception') },
    }) as ReadableSpan;
  return {
    export: (spans, done) => exporter.export(spans.map(filtered), done),
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
  };
}

/** The tracer provider, its exporter, propagator and instrumentations, registered globally. */
export function startSdk(
  settings: TracingSettings,
): Tracing & { readonly activeSpan: () => Span | undefined } {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': settings.serviceName }),
    // X-Ray trace ids (the first 8 hex digits are the start time), as X-Ray expects them.
    idGenerator: new AWSXRayIdGenerator(),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(settings.sampleRatio) }),
    spanProcessors: [
      new BatchSpanProcessor(
        allowlisted(new OTLPTraceExporter({ url: `${settings.endpoint}/v1/traces` })),
        // Bounded memory: spans beyond the queue are dropped; a request never waits for export.
        { maxQueueSize: 2048, maxExportBatchSize: 512, scheduledDelayMillis: 1000 },
      ),
    ],
  });
  // X-Amzn-Trace-Id in and out: a caller's sampled X-Ray trace continues here.
  provider.register({ propagator: new AWSXRayPropagator() });
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        // The load balancer's health checks are not anyone's requests.
        ignoreIncomingRequestHook: (request) => request.url === '/health',
        // Outgoing calls only within a request (not the JWKS prefetch, not the exporter's).
        requireParentforOutgoingSpans: true,
      }),
      // The query text (placeholders) only, never the values bound to it.
      new PgInstrumentation({ enhancedDatabaseReporting: false, requireParentSpan: true }),
      new AwsInstrumentation({ suppressInternalInstrumentation: true }),
    ],
  });
  return { shutdown: () => provider.shutdown(), activeSpan: () => trace.getActiveSpan() };
}
