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
  ARCHIVING: ['ARCHIVING', 'ARCHIVED'],
  ARCHIVED: ['PURGING'],
  PURGING: ['PURGING', 'PURGED'],
  PURGED: [],
};

export function isAllowedMove(from: LifecycleState, to: LifecycleState): boolean {
  return ALLOWED[from].includes(to);
}

/** States the daily sweep looks for in the `state-due` index, in the order it handles them. */
export const SWEPT_STATES: readonly LifecycleState[] = [
  'DEACTIVATED',
  'ARCHIVED',
  'ARCHIVING',
  'PURGING',
];
