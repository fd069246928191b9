import type { Logger } from '@aws-lambda-powertools/logger';
import type { AdminApiEvent, ApiResponse } from './api';
import { json } from './api';

/**
 * Runs an admin API operation; an unexpected error is logged (name and message only) and
 * answered with a JSON 500 that tells the caller whether retrying is safe.
 */
export async function guardApi(
  logger: Logger,
  event: AdminApiEvent,
  operation: (event: AdminApiEvent) => Promise<ApiResponse>,
): Promise<ApiResponse> {
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
