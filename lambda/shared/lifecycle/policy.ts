/** The lifecycle's time rules, from config (`retention.*`) through the handlers' environment. */
export interface LifecyclePolicy {
  /** Days a deactivated tenant stays live and can be reactivated. @default 90 */
  readonly graceDays: number;
  /** Days an archive is kept before it is purged. @default 365 */
  readonly archiveRetentionDays: number;
  /**
   * Minutes a sweep claim (ARCHIVING / PURGING) is leased to the workers; after it the next sweep
   * re-sends the job. Must exceed the worker's timeout times the queue's receive count.
   * @default 720
   */
  readonly leaseMinutes: number;
  /**
   * Claims of one ARCHIVING / PURGING step (the first and each re-claim after an expired lease)
   * after which the sweep stops re-sending the job and moves the tenant to ARCHIVE_FAILED /
   * PURGE_FAILED, audited and alarmed. @default 5
   */
  readonly maxClaims: number;
}

export const DEFAULT_POLICY: LifecyclePolicy = {
  graceDays: 90,
  archiveRetentionDays: 365,
  leaseMinutes: 720,
  maxClaims: 5,
};
