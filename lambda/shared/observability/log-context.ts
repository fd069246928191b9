import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';

/**
 * The start of an invocation: every following line of `logger` carries the request id
 * (`function_request_id`), the function and cold start, and, from Powertools, the X-Ray trace id
 * (`xray_trace_id`: the function's trace under active tracing); keys appended during an earlier
 * invocation (a tenant id) are dropped first. Nothing of the event is logged (it may hold personal
 * data such as e-mail addresses).
 */
export function startInvocation(logger: Logger, context: Context | undefined): void {
  logger.resetKeys();
  if (context) logger.addContext(context);
}

/** The tenant the invocation concerns, on every following line: its id only, never a name. */
export function forTenant(logger: Logger, tenantId: string): void {
  logger.appendKeys({ tenantId });
}
