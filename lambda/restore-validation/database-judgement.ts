import { PLATFORM_SCHEMA, RESTORE_SENTINEL_TABLE } from '../shared/database/names';
import type { CheckResult } from './check-result';
import type { QueryResult } from './database-query';

const SENTINEL = `${PLATFORM_SCHEMA}.${RESTORE_SENTINEL_TABLE}`;

/**
 * Whether a restored copy holds what the live database held: the sentinel row the bootstrap
 * writes each time it runs (a deploy that changes a migration, the baseline version or the
 * endpoint) must be there (no row: an empty restore, or not a platform database),
 * and every table it lists must exist in the copy (one missing: a short restore). Tables created
 * after the last bootstrap are extra and pass.
 */
export function judgeRestoredDatabase(clusterId: string, result: QueryResult): CheckResult {
  const who = `logged in as ${result.currentUser} over TLS with IAM auth`;
  if (!result.sentinel) {
    return {
      ok: false,
      message:
        `restored cluster ${clusterId} has no restore sentinel row in ${SENTINEL} (${who}; schema ` +
        `app has ${result.restoredTables.length} tables): an empty or foreign restore`,
    };
  }
  const restored = new Set(result.restoredTables);
  const missing = result.sentinel.appTables.filter((t) => !restored.has(t));
  if (missing.length) {
    return {
      ok: false,
      message:
        `restored cluster ${clusterId} is short: ${missing.length} of the ` +
        `${result.sentinel.appTables.length} tables the sentinel of ${result.sentinel.writtenAt} ` +
        `lists are missing (${missing.join(', ')})`,
    };
  }
  return {
    ok: true,
    message:
      `cluster ${clusterId} available; ${who}; sentinel of ${result.sentinel.writtenAt} found and ` +
      `all ${result.sentinel.appTables.length} tables it lists restored ` +
      `(${result.restoredTables.length} in schema app)`,
  };
}
