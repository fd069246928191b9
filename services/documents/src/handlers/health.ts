import type { Reply } from '../http';

/** GET /health: the process is up and serving. Checks nothing downstream (no cascade on failure). */
export function health(): Reply {
  return { status: 200, body: { status: 'ok' } };
}
