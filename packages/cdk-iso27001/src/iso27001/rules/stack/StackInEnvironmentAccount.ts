import { Stack } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { isStackAnchor } from '../core/app-index';
import type { EnvironmentSettings } from '../core/environments';
import { environmentNameOf } from '../core/environments';
import { targetOf } from '../core/resource-view';
import type { IsoRule } from '../core/rule';
import { defineRule, NotCheckableError } from '../core/rule';

/**
 * The stack deploys to its environment's account: the environment (from `environmentOf`, else the
 * stack's environment tag) is a configured one and its account is the stack's account. Finding
 * `UnknownEnvironment` when the name is not configured. Reported once per stack, on its first
 * resource. A stack with no environment, or an env-agnostic stack, is not checkable. With no
 * environments configured, the stack must still name its account (an env-agnostic stack is not
 * checkable, never a pass).
 */
export function stackInEnvironmentAccount(settings: EnvironmentSettings): IsoRule {
  return defineRule('StackInEnvironmentAccount', (node) => {
    if (!isStackAnchor(node)) return NagRuleCompliance.NOT_APPLICABLE;
    const environments = settings.environments;
    const stack = Stack.of(node);
    if (!environments || Object.keys(environments).length === 0) {
      if (targetOf(stack).account === undefined) throw new NotCheckableError('Stack.Account');
      return NagRuleCompliance.COMPLIANT;
    }
    const name = environmentNameOf(stack, settings);
    if (name === undefined)
      throw new NotCheckableError(`Stack.Tags.${settings.environmentTagKey ?? 'Environment'}`);
    const definition = environments[name];
    if (!definition) return ['UnknownEnvironment'];
    const account = targetOf(stack).account;
    if (account === undefined) throw new NotCheckableError('Stack.Account');
    return account === definition.account
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  });
}
