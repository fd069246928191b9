import { FREEZE_SCHEMA, FROZEN_TENANTS_TABLE } from '../database/names';
import type { DbConnector } from './contracts';
import { ArchiveError } from './errors';
import { qualified } from './tenant-tables';

/**
 * Freezes the tenant for writes before anything is read for its archive: its id goes into the
 * freeze register the database bootstrap creates (`platform.frozen_tenants`), after which the
 * restrictive freeze policies on every tenant table refuse the application's INSERT and UPDATE of
 * its rows and let no DELETE match them; this worker's own role still reads and deletes. Run first
 * on every attempt: idempotent (the first archive id is kept), and never undone (an archived
 * tenant is never live again). A database without the register fails the run before any export.
 */
export async function freezeTenant(
  db: DbConnector,
  tenantId: string,
  archiveId: string,
): Promise<boolean> {
  const client = await db.connect();
  try {
    const result = await client.query(
      `INSERT INTO ${qualified(FREEZE_SCHEMA, FROZEN_TENANTS_TABLE)} (tenant_id, archive_id)
       VALUES ($1, $2) ON CONFLICT (tenant_id) DO NOTHING`,
      [tenantId, archiveId],
    );
    return (result.rowCount ?? 0) > 0;
  } catch (error) {
    throw new ArchiveError(
      'FREEZE_FAILED',
      `cannot freeze tenant ${tenantId} for writes in ${FREEZE_SCHEMA}.${FROZEN_TENANTS_TABLE} ` +
        `(${error instanceof Error ? error.message : String(error)}): nothing archived or deleted; ` +
        `run the database bootstrap (it creates the register) and check the worker role's grants`,
    );
  } finally {
    client.release();
  }
}
