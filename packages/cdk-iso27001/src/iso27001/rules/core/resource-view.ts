import type { CfnResource } from 'aws-cdk-lib';
import { Stack, Token } from 'aws-cdk-lib';
import { NotCheckableError } from './rule';
import { evaluationCache } from './evaluation-cache';

/** A resource as it appears in the template: type, logical id, resolved properties and policies. */
export interface ResourceView {
  readonly type: string;
  readonly logicalId: string;
  readonly properties: Record<string, unknown>;
  readonly deletionPolicy?: string;
  readonly updateReplacePolicy?: string;
}

interface RenderedTemplate {
  readonly Resources?: Record<
    string,
    {
      readonly Type: string;
      readonly Properties?: Record<string, unknown>;
      readonly DeletionPolicy?: string;
      readonly UpdateReplacePolicy?: string;
    }
  >;
}

/**
 * The resolved template fragment of a resource, in CloudFormation property names. Reading the
 * rendered template (rather than L1 class properties) also covers raw `CfnResource`s and
 * `CfnInclude`, and gives property paths that match the template a reviewer reads.
 */
export function viewOf(node: CfnResource): ResourceView {
  const cache = evaluationCache()?.views;
  const cached = cache?.get(node);
  if (cached) return cached;
  let rendered: RenderedTemplate;
  try {
    const toCfn = (node as unknown as { _toCloudFormation(): object })._toCloudFormation();
    rendered = Stack.of(node).resolve(toCfn) as RenderedTemplate;
  } catch {
    throw new NotCheckableError('Properties');
  }
  const [logicalId, body] = Object.entries(rendered.Resources ?? {})[0] ?? [
    String(Stack.of(node).resolve(node.logicalId)),
    { Type: node.cfnResourceType },
  ];
  const view: ResourceView = {
    type: body.Type,
    logicalId,
    properties: body.Properties ?? {},
    deletionPolicy: body.DeletionPolicy,
    updateReplacePolicy: body.UpdateReplacePolicy,
  };
  cache?.set(node, view);
  return view;
}

/** The account, region and partition a stack deploys to; undefined where it is a token. */
export interface StackTarget {
  readonly account?: string;
  readonly region?: string;
  readonly partition: string;
}

export function targetOf(stack: Stack): StackTarget {
  const account = Token.isUnresolved(stack.account) ? undefined : stack.account;
  const region = Token.isUnresolved(stack.region) ? undefined : stack.region;
  const partition = Token.isUnresolved(stack.partition) ? 'aws' : stack.partition;
  return { account, region, partition };
}

/** True when the resource is of one of the given CloudFormation types (cheap: no resolution). */
export function isType(node: CfnResource, ...types: string[]): boolean {
  return types.includes(node.cfnResourceType);
}
