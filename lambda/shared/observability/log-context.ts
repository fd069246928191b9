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

/**
 * The start of an admin API request: `startInvocation`, then the route's tenant (its path
 * parameter, when the route has one) on every following line.
 */
export function startRequest(
  logger: Logger,
  context: Context | undefined,
  tenantId: string | undefined,
): void {
  startInvocation(logger, context);
  if (tenantId) forTenant(logger, tenantId);
}

/**
 * One tenant's share of an invocation that serves several (a queue batch): the lines `work` logs
 * carry the tenant id, the lines after it (the next record's) do not.
 */
export async function inTenant<T>(
  logger: Logger,
  tenantId: string,
  work: () => Promise<T>,
): Promise<T> {
  forTenant(logger, tenantId);
  try {
    return await work();
  } finally {
    logger.removeKeys(['tenantId']);
  }
}
