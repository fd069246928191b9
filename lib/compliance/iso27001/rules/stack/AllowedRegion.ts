import { Stack } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { isStackAnchor } from '../core/app-index';
import { targetOf } from '../core/resource-view';
import type { IsoRule } from '../core/rule';
import { defineRule, NotCheckableError } from '../core/rule';

/**
 * The stack deploys to an allowed region (data residency). A stack-level rule: reported once per
 * stack, on its first resource. An env-agnostic stack is not checkable. Not applicable when no
 * regions are configured.
 */
export function allowedRegion(regions: readonly string[] | undefined): IsoRule {
  return defineRule('AllowedRegion', (node) => {
    if (!regions || regions.length === 0 || !isStackAnchor(node))
      return NagRuleCompliance.NOT_APPLICABLE;
    const region = targetOf(Stack.of(node)).region;
    if (region === undefined) throw new NotCheckableError('Stack.Region');
    return regions.includes(region) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  });
}
