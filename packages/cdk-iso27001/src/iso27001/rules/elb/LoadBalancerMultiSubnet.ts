import { NagRuleCompliance } from 'cdk-nag';
import { viewOf } from '../core/resource-view';
import { defineRule } from '../core/rule';
import { literalList } from '../core/values';

/**
 * The load balancer (ALB / NLB / GWLB) spans at least two subnets (`Subnets` or
 * `SubnetMappings`), hence at least two AZs, so it keeps serving through an AZ outage.
 */
export const LoadBalancerMultiSubnet = defineRule('LoadBalancerMultiSubnet', (node) => {
  if (node.cfnResourceType !== 'AWS::ElasticLoadBalancingV2::LoadBalancer') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const props = viewOf(node).properties;
  const count =
    literalList(props.Subnets, 'Subnets').length +
    literalList(props.SubnetMappings, 'SubnetMappings').length;
  return count >= 2 ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
