import type { Stack } from 'aws-cdk-lib';
import { TagManager, Token } from 'aws-cdk-lib';
import { appIndexOf } from './app-index';
import { NotCheckableError } from './rule';

/** One deployment environment: the account it owns and whether it is production. */
export interface EnvironmentDefinition {
  /** The AWS account id of the environment. */
  readonly account: string;
  /**
   * Whether the environment is production (termination protection, cross-region resilience).
   * @default false
   */
  readonly production?: boolean;
}

/** How rules learn which environment a stack belongs to. */
export interface EnvironmentSettings {
  /**
   * Environment name to definition, e.g. `{ prod: { account: '333333333333', production: true } }`.
   * @default - no environments: environment-dependent rules are not applicable
   */
  readonly environments?: Readonly<Record<string, EnvironmentDefinition>>;
  /**
   * Which environment a stack belongs to. Returning undefined falls back to the stack tag.
   * @default - the stack's `environmentTagKey` tag
   */
  readonly environmentOf?: (stack: Stack) => string | undefined;
  /**
   * The tag that names a stack's environment: a stack tag, or the tag `Tags.of(stack)` puts on
   * the stack's resources.
   * @default 'Environment'
   */
  readonly environmentTagKey?: string;
}

/**
 * A tag of a stack: its own stack tag, else the value `Tags.of(stack)` put on its resources (with
 * `@aws-cdk/core:explicitStackTags` on, `Tags.of(stack)` tags the resources but not the stack).
 */
function stackTag(stack: Stack, key: string): string | undefined {
  const own = stack.tags.tagValues()[key];
  if (own !== undefined) return own;
  return appIndexOf(stack).memo(`stack-tag:${stack.node.path}:${key}`, (index) => {
    for (const resource of index.inStack(stack)) {
      if (!TagManager.isTaggable(resource)) continue;
      const value = resource.tags.tagValues()[key];
      if (value !== undefined) return value;
    }
    return undefined;
  });
}

/** The environment name of a stack, or undefined when neither the function nor the tag says. */
export function environmentNameOf(stack: Stack, settings: EnvironmentSettings): string | undefined {
  const fromFunction = settings.environmentOf?.(stack);
  if (fromFunction !== undefined) return fromFunction;
  const key = settings.environmentTagKey ?? 'Environment';
  const tag = stackTag(stack, key);
  if (tag !== undefined && Token.isUnresolved(tag))
    throw new NotCheckableError(`Stack.Tags.${key}`);
  return tag;
}

/**
 * Whether the stack is production. With no environments configured every stack counts as
 * production (the secure default). With environments configured, a stack whose environment
 * cannot be told is not checkable.
 */
export function isProductionStack(stack: Stack, settings: EnvironmentSettings): boolean {
  if (!settings.environments || Object.keys(settings.environments).length === 0) return true;
  const name = environmentNameOf(stack, settings);
  const definition = name === undefined ? undefined : settings.environments[name];
  if (!definition)
    throw new NotCheckableError(`Stack.Tags.${settings.environmentTagKey ?? 'Environment'}`);
  return definition.production === true;
}

/**
 * Which stacks the resilience (cross-region) and change rules apply to: every stack, or only
 * production stacks.
 */
export type ResilienceScope = 'all' | 'production';

/** Whether a stack is within the resilience scope. */
export function inResilienceScope(
  stack: Stack,
  scope: ResilienceScope,
  settings: EnvironmentSettings,
): boolean {
  return scope === 'all' || isProductionStack(stack, settings);
}
