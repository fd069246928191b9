import { health } from './handlers/health';
import type { Route } from './http';

/**
 * Every route of the service: a handler per route in `handlers/`. Anything else answers 404.
 * Routes land here as the documents service is built (uploads, downloads, listings).
 */
export const ROUTES: readonly Route[] = [{ method: 'GET', path: '/health', handler: health }];
