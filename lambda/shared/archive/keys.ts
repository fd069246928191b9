import { ArchiveError } from './errors';

/** Tenant ids as used in S3 prefixes: letters, digits, '-' and '_' (UUIDs fit). */
export const TENANT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** Archive ids: letters, digits, '-' and '_', so that one id can never be a prefix path. */
export const ARCHIVE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

export function assertTenantId(tenantId: unknown): asserts tenantId is string {
  if (typeof tenantId !== 'string' || !TENANT_ID_PATTERN.test(tenantId)) {
    throw new ArchiveError(
      'INVALID_REQUEST',
      `tenantId ${JSON.stringify(tenantId)} is invalid: expected ${TENANT_ID_PATTERN}`,
    );
  }
}

export function assertArchiveId(archiveId: unknown): asserts archiveId is string {
  if (typeof archiveId !== 'string' || !ARCHIVE_ID_PATTERN.test(archiveId)) {
    throw new ArchiveError(
      'INVALID_REQUEST',
      `archiveId ${JSON.stringify(archiveId)} is invalid: expected ${ARCHIVE_ID_PATTERN}`,
    );
  }
}

/** `tenants/<tenantId>/`: the tenant's live files (primary bucket and its replica). */
export const tenantFilesPrefix = (tenantId: string): string => `tenants/${tenantId}/`;

/** `archive/<tenantId>/`: every archive of the tenant. */
export const tenantArchiveRoot = (tenantId: string): string => `archive/${tenantId}/`;

/** `archive/<tenantId>/<archiveId>/`: one archive. */
export const archivePrefix = (tenantId: string, archiveId: string): string =>
  `${tenantArchiveRoot(tenantId)}${archiveId}/`;

export const manifestKey = (tenantId: string, archiveId: string): string =>
  `${archivePrefix(tenantId, archiveId)}manifest.json`;

/**
 * Where a table's export goes: `db/<table>.jsonl.gz` for a table in one chunk (as before chunks
 * existed), `db/<table>/<00001>.jsonl.gz` per chunk otherwise (a table name never holds '/').
 */
export const tableKey = (
  tenantId: string,
  archiveId: string,
  table: string,
  chunk: { index: number; count: number } = { index: 1, count: 1 },
): string =>
  `${archivePrefix(tenantId, archiveId)}db/${encodeURIComponent(table)}${
    chunk.count === 1 ? '' : `/${String(chunk.index).padStart(5, '0')}`
  }.jsonl.gz`;

/** Where a live file `tenants/<tenantId>/<rest>` is copied in the archive. */
export function archivedFileKey(tenantId: string, archiveId: string, sourceKey: string): string {
  const live = tenantFilesPrefix(tenantId);
  if (!sourceKey.startsWith(live)) throw new Error(`${sourceKey} is not under ${live}`);
  return `${archivePrefix(tenantId, archiveId)}files/${sourceKey.slice(live.length)}`;
}

/** The manifest in progress of an archive that is being built (see `archive-progress.ts`). */
export const progressKey = (tenantId: string, archiveId: string): string =>
  `${archivePrefix(tenantId, archiveId)}progress.json`;
