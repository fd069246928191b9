import type { CfnResource } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { AppIndex } from './app-index';
import type { ResourceView } from './resource-view';

/** Caches that live for one run of the pack over a construct tree. */
export interface EvaluationCache {
  /** Per-root indexes (stacks, resources by type and logical id, derived indexes). */
  readonly indexes: WeakMap<IConstruct, AppIndex>;
  /** Per-resource resolved template fragments. */
  readonly views: WeakMap<CfnResource, ResourceView>;
}

let active: EvaluationCache | undefined;

/**
 * Run `fn` with caches on. The pack wraps each validation run in this: the tree does not change
 * while the pack runs, so indexes are built once per root. A rule called on its own (in a unit
 * test, or by another pack) outside a run builds what it needs afresh, so it never sees a tree
 * that has changed since an earlier call.
 */
export function withEvaluationCache<T>(fn: () => T): T {
  const previous = active;
  active = active ?? { indexes: new WeakMap(), views: new WeakMap() };
  try {
    return fn();
  } finally {
    active = previous;
  }
}

/** The caches of the current run, if a run is under way. */
export function evaluationCache(): EvaluationCache | undefined {
  return active;
}
