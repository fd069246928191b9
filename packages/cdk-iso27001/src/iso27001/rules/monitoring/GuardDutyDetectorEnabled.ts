import { NagRuleCompliance } from 'cdk-nag';
import { viewOf } from '../core/resource-view';
import { defineRule } from '../core/rule';
import { literalBoolean } from '../core/values';

/** The GuardDuty detector is enabled (`Enable` is true). cdk-nag has no GuardDuty rule. */
export const GuardDutyDetectorEnabled = defineRule('GuardDutyDetectorEnabled', (node) => {
  if (node.cfnResourceType !== 'AWS::GuardDuty::Detector') return NagRuleCompliance.NOT_APPLICABLE;
  return literalBoolean(viewOf(node).properties.Enable, 'Enable') === true
    ? NagRuleCompliance.COMPLIANT
    : NagRuleCompliance.NON_COMPLIANT;
});
