/** Why an archive or purge refused to proceed. Handlers map `code` to alarms and API errors. */
export type ArchiveErrorCode =
  /** Malformed tenantId, archiveId or date. Nothing was changed. */
  | 'INVALID_REQUEST'
  /** The tenant could not be frozen for writes (no freeze register?). Nothing was changed. */
  | 'FREEZE_FAILED'
  /** Another archive of this tenant exists, or a concurrent run wrote under this archive. */
  | 'ARCHIVE_CONFLICT'
  /** The archive in S3 does not match its manifest (missing, extra or altered objects). */
  | 'ARCHIVE_INTEGRITY'
  /** Live rows differ from the manifest; the deletion was rolled back. */
  | 'ROW_COUNT_MISMATCH'
  /** Live rows changed since the export (same count, other content); the deletion was rolled back. */
  | 'ROW_CONTENT_MISMATCH'
  /** File versions appeared that the archive does not hold; nothing of the files was deleted. */
  | 'FILES_CHANGED'
  /** S3 refused to delete an object version (for example Object Lock). */
  | 'DELETE_REFUSED'
  /**
   * Purge asked for before the archive's retention has expired (a version found still locked).
   * Nothing was deleted, or, when the versions changed since an earlier run began deleting,
   * nothing more (the message says which).
   */
  | 'PURGE_TOO_EARLY';

export class ArchiveError extends Error {
  override readonly name = 'ArchiveError';

  constructor(
    readonly code: ArchiveErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(`${code}: ${message}`);
  }
}

export function isArchiveError(error: unknown, code?: ArchiveErrorCode): error is ArchiveError {
  return error instanceof ArchiveError && (code === undefined || error.code === code);
}
