/**
 * The tenant closure lifecycle's states. Forward only, except DEACTIVATED -> ACTIVE
 * (reactivation before the grace period ends). ARCHIVING and PURGING may be re-claimed
 * (same state, new version) when their lease expires.
 */
export const LIFECYCLE_STATES = [
  'ACTIVE',
  'DEACTIVATED',
  'ARCHIVING',
  'ARCHIVED',
  'PURGING',
  'PURGED',
  /** Claimed `maxClaims` times without finishing: left for a human, alarmed every day. */
  'ARCHIVE_FAILED',
  'PURGE_FAILED',
] as const;

export type LifecycleState = (typeof LIFECYCLE_STATES)[number];

export function isLifecycleState(value: unknown): value is LifecycleState {
  return typeof value === 'string' && (LIFECYCLE_STATES as readonly string[]).includes(value);
}

/** Position in the forward order. */
export function stateRank(state: LifecycleState): number {
  return LIFECYCLE_STATES.indexOf(state);
}

/** Every move the rules may make; anything else is a bug. */
const ALLOWED: Readonly<Record<LifecycleState, readonly LifecycleState[]>> = {
  ACTIVE: ['DEACTIVATED'],
  DEACTIVATED: ['ACTIVE', 'ARCHIVING'],
  ARCHIVING: ['ARCHIVING', 'ARCHIVED', 'ARCHIVE_FAILED'],
  ARCHIVED: ['PURGING'],
  PURGING: ['PURGING', 'PURGED', 'PURGE_FAILED'],
  PURGED: [],
  ARCHIVE_FAILED: [],
  PURGE_FAILED: [],
};

export function isAllowedMove(from: LifecycleState, to: LifecycleState): boolean {
  return ALLOWED[from].includes(to);
}

/**
 * The failed states: the sweep never claims them, but counts them every day (they stay in the
 * `state-due` index, `dueAt` = when they failed) so that their alarm stays raised until a human
 * has dealt with the tenant.
 */
export const FAILED_STATES: readonly LifecycleState[] = ['ARCHIVE_FAILED', 'PURGE_FAILED'];

/** States the daily sweep looks for in the `state-due` index, in the order it handles them. */
export const SWEPT_STATES: readonly LifecycleState[] = [
  'DEACTIVATED',
  'ARCHIVED',
  'ARCHIVING',
  'PURGING',
];
