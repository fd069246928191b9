import { text, wholeNumber } from '../environment-fields';
import type { LifecyclePolicy } from './policy';
import { DEFAULT_POLICY } from './policy';

/** Contract entries shared by the lifecycle functions (see lambda/<function>/contract.ts). */

export const TABLE_NAME_PATTERN = /^[A-Za-z0-9_.-]{3,255}$/;
export const USER_POOL_ID_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d_[A-Za-z0-9]+$/;
export const QUEUE_URL_PATTERN = /^https?:\/\/\S+$/;
/** RDS (global) cluster identifiers: a letter, then letters, digits and single hyphens. */
export const CLUSTER_IDENTIFIER_PATTERN = /^[A-Za-z](?:-?[A-Za-z0-9])*$/;

export const lifecycleSettings = {
  /** TABLE_NAME */
  registryTable: () => text('the tenant registry table name', TABLE_NAME_PATTERN),
  /** AUDIT_TABLE_NAME */
  auditTable: () => text('the lifecycle audit table name', TABLE_NAME_PATTERN),
  /** USER_POOL_ID */
  userPoolId: () => text('the Cognito user pool id', USER_POOL_ID_PATTERN),
  /** ARCHIVE_JOBS_QUEUE_URL, PURGE_JOBS_QUEUE_URL */
  queueUrl: (which: string) => text(`the ${which} jobs queue URL`, QUEUE_URL_PATTERN),
  /**
   * GRACE_DAYS and ARCHIVE_RETENTION_DAYS are required where used (the stack passes
   * `retention.*` from the config: a silent default could delete data earlier than the config
   * promises).
   */
  graceDays: () => wholeNumber('retention.closureGraceDays, in days'),
  archiveRetentionDays: () => wholeNumber('retention.archiveRetentionDays, in days'),
  /** DB_CLUSTER_ID: this region's Aurora cluster identifier (the writer check's subject). */
  clusterIdentifier: () =>
    text("this region's Aurora cluster identifier", CLUSTER_IDENTIFIER_PATTERN),
  /**
   * GLOBAL_CLUSTER_ID, optional: the global database whose writer the lifecycle follows; unset in
   * a single-region environment (its cluster is always the writer).
   */
  globalClusterIdentifier: () =>
    text('the Aurora global cluster identifier', CLUSTER_IDENTIFIER_PATTERN).optional(),
  /** LEASE_MINUTES, optional: the default lease when unset. */
  leaseMinutes: () =>
    wholeNumber('the worker lease in minutes').optional().default(DEFAULT_POLICY.leaseMinutes),
} as const;

/**
 * The lifecycle policy of a handler: the numbers its contract reads, the defaults (unused by it)
 * for the others. Dates are stored at each transition, so a handler only needs the numbers of the
 * steps it starts.
 */
export function policyOf(settings: Partial<LifecyclePolicy>): LifecyclePolicy {
  return {
    graceDays: settings.graceDays ?? DEFAULT_POLICY.graceDays,
    archiveRetentionDays: settings.archiveRetentionDays ?? DEFAULT_POLICY.archiveRetentionDays,
    leaseMinutes: settings.leaseMinutes ?? DEFAULT_POLICY.leaseMinutes,
    maxClaims: settings.maxClaims ?? DEFAULT_POLICY.maxClaims,
  };
}
