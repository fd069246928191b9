import type { LifecycleState } from './states';

/** Tenant ids as used in S3 prefixes and Cognito group names: letters, digits, '-' and '_'. */
export const TENANT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function isTenantId(value: unknown): value is string {
  return typeof value === 'string' && TENANT_ID_PATTERN.test(value);
}

/**
 * The lifecycle's view of one registry item. Timestamps are ISO-8601 UTC strings as stored.
 * `version` is undefined only for an item written before the lifecycle existed (no attribute).
 */
export interface TenantRecord {
  readonly tenantId: string;
  readonly lifecycleState: LifecycleState;
  readonly version: number | undefined;
  /** The step due at this instant (grace end, purge date or lease expiry); absent otherwise. */
  readonly dueAt?: string;
  readonly deactivatedAt?: string;
  /** Actor id (JWT `sub` or `client_id`), never a name or e-mail. */
  readonly deactivatedBy?: string;
  readonly deactivationReason?: string;
  readonly graceEndsAt?: string;
  readonly reactivatedAt?: string;
  readonly reactivatedBy?: string;
  readonly archiveId?: string;
  readonly archivingStartedAt?: string;
  /**
   * End of the archive's COMPLIANCE lock, fixed once at the first archive claim so that every
   * retry (whatever its clock) asks the engine for the same archive.
   */
  readonly archiveRetainUntil?: string;
  readonly archivedAt?: string;
  readonly manifestKey?: string;
  readonly purgeAt?: string;
  readonly purgingStartedAt?: string;
  readonly purgedAt?: string;
  /** How many times the current ARCHIVING / PURGING step was claimed (1 = first claim). */
  readonly claimCount?: number;
  /**
   * The purge's lock check progress at its last checkpoint (JSON of the engine's `PurgeLockCheck`:
   * listing digest, versions, how many found unlocked, how many deleted), written with the lease
   * renewal; the next run continues from it. Removed by the tombstone.
   */
  readonly purgeLockCheck?: string;
  readonly updatedAt?: string;
  /**
   * Cognito usernames that the closure disabled (they were enabled when the tenant was
   * deactivated): reactivation re-enables exactly these. Absent on a tenant deactivated before
   * this was recorded. Written by `TenantRegistry.recordClosureUsers`, not by transitions.
   */
  readonly closureDisabledUsers?: readonly string[];
  /** Names of every attribute on the stored item (the tombstone removes the others). */
  readonly attributeNames: readonly string[];
}

/** Lifecycle attributes a transition may set or remove. */
export type LifecycleField = Exclude<keyof TenantRecord, 'tenantId' | 'version' | 'attributeNames'>;

/** The attributes a PURGED tombstone keeps: identity, state, version, dates and the archive id. */
export const TOMBSTONE_ATTRIBUTES: ReadonlySet<string> = new Set([
  'tenantId',
  'lifecycleState',
  'version',
  'archiveId',
  'deactivatedAt',
  'graceEndsAt',
  'reactivatedAt',
  'archivingStartedAt',
  'archivedAt',
  'purgeAt',
  'purgingStartedAt',
  'purgedAt',
  'updatedAt',
]);

export const LIFECYCLE_ATTRIBUTE_NAMES: readonly LifecycleField[] = [
  'lifecycleState',
  'dueAt',
  'deactivatedAt',
  'deactivatedBy',
  'deactivationReason',
  'graceEndsAt',
  'reactivatedAt',
  'reactivatedBy',
  'archiveId',
  'archivingStartedAt',
  'archiveRetainUntil',
  'archivedAt',
  'manifestKey',
  'purgeAt',
  'purgingStartedAt',
  'purgedAt',
  'claimCount',
  'purgeLockCheck',
  'updatedAt',
];
