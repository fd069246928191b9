import { NagRuleCompliance } from 'cdk-nag';
import { viewOf } from '../core/resource-view';
import type { IsoRule } from '../core/rule';
import { defineRule } from '../core/rule';
import { literalNumber } from '../core/values';
import { ISO27001_DEFAULT_POLICY } from '../../policy';

/**
 * The log group keeps events at least `minimumDays` (no retention means forever, which passes
 * here and fails `LogGroupRetentionBounded`). The minimum defaults to the pack's policy (365 days).
 *
 * Own rule: cdk-nag's `CloudWatchLogGroupRetentionPeriod` only checks that a retention is set,
 * so one day passes.
 */
export function logGroupRetentionMinimum(
  minimumDays: number = ISO27001_DEFAULT_POLICY.minimumLogRetentionDays,
): IsoRule {
  return defineRule('LogGroupRetentionMinimum', (node) => {
    if (node.cfnResourceType !== 'AWS::Logs::LogGroup') return NagRuleCompliance.NOT_APPLICABLE;
    const days = literalNumber(viewOf(node).properties.RetentionInDays, 'RetentionInDays');
    return days === undefined || days >= minimumDays
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  });
}
