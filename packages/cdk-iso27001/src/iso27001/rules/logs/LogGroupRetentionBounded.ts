import { NagRuleCompliance } from 'cdk-nag';
import { viewOf } from '../core/resource-view';
import { defineRule } from '../core/rule';
import { literalNumber } from '../core/values';

/**
 * The log group sets `RetentionInDays`, so log data is deleted when no longer needed instead of
 * being kept forever (the CloudWatch Logs default).
 */
export const LogGroupRetentionBounded = defineRule('LogGroupRetentionBounded', (node) => {
  if (node.cfnResourceType !== 'AWS::Logs::LogGroup') return NagRuleCompliance.NOT_APPLICABLE;
  const days = literalNumber(viewOf(node).properties.RetentionInDays, 'RetentionInDays');
  return days === undefined ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
});
