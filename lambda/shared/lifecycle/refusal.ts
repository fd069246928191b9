/**
 * Why the lifecycle refused an operation. A refusal changes nothing; handlers log it and map
 * `code` to an HTTP status (API) or a failed queue message (workers).
 */
export type RefusalCode =
  /** The input is malformed (names the field). HTTP 400. */
  | 'INVALID_INPUT'
  /** No such tenant in the registry. HTTP 404. */
  | 'UNKNOWN_TENANT'
  /** The operation is not allowed in the tenant's current state. HTTP 409. */
  | 'WRONG_STATE'
  /** Reactivation after the grace window ended. HTTP 409. */
  | 'GRACE_EXPIRED'
  /** A scheduled step asked for before its date (archive before grace end, purge before purgeAt). */
  | 'NOT_DUE'
  /** The job names another archive than the registry's. */
  | 'ARCHIVE_MISMATCH'
  /** A worker's job was re-claimed by a later sweep: another job holds the lease now. */
  | 'LEASE_LOST';

export interface Refusal {
  readonly ok: false;
  readonly code: RefusalCode;
  /** Says why and what is possible instead. No personal data. */
  readonly message: string;
  readonly details?: Readonly<Record<string, string | number | undefined>>;
}

export function refuse(
  code: RefusalCode,
  message: string,
  details?: Readonly<Record<string, string | number | undefined>>,
): Refusal {
  return details ? { ok: false, code, message, details } : { ok: false, code, message };
}

export const HTTP_STATUS_OF: Readonly<Record<RefusalCode, number>> = {
  INVALID_INPUT: 400,
  UNKNOWN_TENANT: 404,
  WRONG_STATE: 409,
  GRACE_EXPIRED: 409,
  NOT_DUE: 409,
  ARCHIVE_MISMATCH: 409,
  LEASE_LOST: 409,
};
