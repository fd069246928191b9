import { CfnResource, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { evaluationCache } from './evaluation-cache';

/** Lookups over one construct tree, built in a single walk. */
export class AppIndex {
  private readonly byType = new Map<string, CfnResource[]>();
  private readonly byStack = new Map<Stack, CfnResource[]>();
  private readonly logicalIds = new Map<Stack, Map<string, CfnResource>>();
  private readonly derived = new Map<string, unknown>();
  /** Every stack of the tree, in construct order. */
  readonly stacks: readonly Stack[];

  constructor(root: IConstruct) {
    const stacks: Stack[] = [];
    for (const child of root.node.findAll()) {
      if (Stack.isStack(child)) stacks.push(child);
      if (!CfnResource.isCfnResource(child)) continue;
      push(this.byType, child.cfnResourceType, child);
      push(this.byStack, Stack.of(child), child);
    }
    this.stacks = stacks;
  }

  /** Every resource of a CloudFormation type in the tree. */
  ofType(type: string): readonly CfnResource[] {
    return this.byType.get(type) ?? [];
  }

  /** Every resource of one stack (not of its nested stacks). */
  inStack(stack: Stack): readonly CfnResource[] {
    return this.byStack.get(stack) ?? [];
  }

  /** The resource with this logical id in the stack. */
  byLogicalId(stack: Stack, logicalId: string): CfnResource | undefined {
    let ids = this.logicalIds.get(stack);
    if (!ids) {
      ids = new Map();
      for (const resource of this.inStack(stack)) {
        ids.set(String(stack.resolve(resource.logicalId)), resource);
      }
      this.logicalIds.set(stack, ids);
    }
    return ids.get(logicalId);
  }

  /**
   * The resource on which stack-level rules (region, account, termination protection) report:
   * the stack's first resource in construct order, so each stack gets one finding, on a resource
   * an acknowledgement can name.
   */
  stackAnchor(stack: Stack): CfnResource | undefined {
    return this.inStack(stack).find((r) => r.cfnResourceType !== 'AWS::CDK::Metadata');
  }

  /** A derived index, built once per tree by the first rule that asks for it. */
  memo<T>(key: string, build: (index: AppIndex) => T): T {
    if (!this.derived.has(key)) this.derived.set(key, build(this));
    return this.derived.get(key) as T;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The index of the tree a construct belongs to: cached per root during a pack run. */
export function appIndexOf(node: IConstruct): AppIndex {
  const root = node.node.root;
  const cache = evaluationCache()?.indexes;
  const cached = cache?.get(root);
  if (cached) return cached;
  const index = new AppIndex(root);
  cache?.set(root, index);
  return index;
}

/** True when the resource is the one its stack's stack-level findings are reported on. */
export function isStackAnchor(node: CfnResource): boolean {
  return appIndexOf(node).stackAnchor(Stack.of(node)) === node;
}
