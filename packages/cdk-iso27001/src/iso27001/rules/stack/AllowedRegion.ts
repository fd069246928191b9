import { Stack } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { isStackAnchor } from '../core/app-index';
import { targetOf } from '../core/resource-view';
import type { IsoRule } from '../core/rule';
import { defineRule, NotCheckableError } from '../core/rule';

/**
 * The stack deploys to an allowed region (data residency). A stack-level rule: reported once per
 * stack, on its first resource. An env-agnostic stack is not checkable. With no regions configured
 * any region is allowed, but the stack must still name one (an env-agnostic stack can deploy
 * anywhere, so it is not checkable, never a pass).
 */
export function allowedRegion(regions: readonly string[] | undefined): IsoRule {
  return defineRule('AllowedRegion', (node) => {
    if (!isStackAnchor(node)) return NagRuleCompliance.NOT_APPLICABLE;
    const region = targetOf(Stack.of(node)).region;
    if (region === undefined) throw new NotCheckableError('Stack.Region');
    return !regions || regions.length === 0 || regions.includes(region)
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  });
}
