import type { Logger } from '@aws-lambda-powertools/logger';
import type { AdminApiEvent, ApiResponse } from './api';
import { json } from './api';
import { checkOperator } from './operator-check';

/**
 * Runs an admin API operation for an operator only (see `checkOperator`: every refusal is logged
 * with the caller's sub, client id and issuer and the route, and answered 403); an unexpected
 * error is logged (name and message only) and answered with a JSON 500 that tells the caller
 * whether retrying is safe.
 */
export async function guardApi(
  logger: Logger,
  event: AdminApiEvent,
  operation: (event: AdminApiEvent) => Promise<ApiResponse>,
): Promise<ApiResponse> {
  const decision = checkOperator(event);
  if (!decision.ok) {
    logger.warn('admin request refused: not an operator', {
      reason: decision.reason,
      route: decision.route,
      ...decision.caller,
    });
    return json(403, {
      error: 'FORBIDDEN',
      message: 'this route needs an operator access token with a tenants.* scope',
    });
  }
  try {
    return await operation(event);
  } catch (error) {
    const err = error instanceof Error ? error : new Error(String(error));
    logger.error('lifecycle operation failed', { errorName: err.name, errorMessage: err.message });
    return json(500, {
      error: 'INTERNAL',
      message: `the operation failed (${err.name}); it is safe to retry the same request`,
    });
  }
}
