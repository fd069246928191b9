import { Stack } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { isStackAnchor } from '../core/app-index';
import type { EnvironmentSettings } from '../core/environments';
import { isProductionStack } from '../core/environments';
import type { IsoRule } from '../core/rule';
import { defineRule } from '../core/rule';

/**
 * A production stack has termination protection, so deleting it takes a deliberate change first.
 * Reported once per stack, on its first resource. With no environments configured every stack
 * counts as production; with environments configured, a stack whose environment cannot be told is
 * not checkable.
 */
export function productionTerminationProtection(settings: EnvironmentSettings): IsoRule {
  return defineRule('ProductionTerminationProtection', (node) => {
    if (!isStackAnchor(node)) return NagRuleCompliance.NOT_APPLICABLE;
    const stack = Stack.of(node);
    if (!isProductionStack(stack, settings)) return NagRuleCompliance.NOT_APPLICABLE;
    return stack.terminationProtection
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  });
}
