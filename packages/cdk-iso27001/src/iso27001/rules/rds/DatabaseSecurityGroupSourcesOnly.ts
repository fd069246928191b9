import { Stack } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { appIndexOf } from '../core/app-index';
import { referenceOf } from '../core/references';
import { viewOf } from '../core/resource-view';
import { defineRule, NotCheckableError } from '../core/rule';
import { literalList } from '../core/values';
import { ingressRulesOf } from '../ec2/ingress-index';

/**
 * Every security group of a DB cluster (or of a DB instance outside a cluster) admits traffic only
 * from other security groups: no ingress rule (inline or standalone, in the group's stack) with
 * `CidrIp`, `CidrIpv6` or `SourcePrefixListId`. Findings name the offending ingress rules. A group
 * that is not a resource of the stack (an id literal, an import) is not checkable.
 *
 * Own rule: cdk-nag's `RDSRestrictedInbound` only applies to DB instances and inline rules of
 * groups attached by logical id, and accepts any CIDR narrower than the internet.
 */
export const DatabaseSecurityGroupSourcesOnly = defineRule(
  'DatabaseSecurityGroupSourcesOnly',
  (node) => {
    let property: string;
    if (node.cfnResourceType === 'AWS::RDS::DBCluster') property = 'VpcSecurityGroupIds';
    else if (node.cfnResourceType === 'AWS::RDS::DBInstance') property = 'VPCSecurityGroups';
    else return NagRuleCompliance.NOT_APPLICABLE;
    const view = viewOf(node);
    if (property === 'VPCSecurityGroups' && view.properties.DBClusterIdentifier !== undefined) {
      return NagRuleCompliance.NOT_APPLICABLE; // the cluster's groups apply
    }
    const stack = Stack.of(node);
    const index = appIndexOf(node);
    const groups = literalList(view.properties[property], property);
    if (groups.length === 0) return NagRuleCompliance.NON_COMPLIANT; // the VPC default group
    const findings: string[] = [];
    groups.forEach((value, i) => {
      const ref = referenceOf(value, stack);
      const group = ref.kind === 'logicalId' ? index.byLogicalId(stack, ref.logicalId) : undefined;
      if (!group || group.cfnResourceType !== 'AWS::EC2::SecurityGroup') {
        throw new NotCheckableError(`${property}.${i}`);
      }
      for (const rule of ingressRulesOf(group, index)) {
        const body = rule.body;
        if (
          body.CidrIp !== undefined ||
          body.CidrIpv6 !== undefined ||
          body.SourcePrefixListId !== undefined
        ) {
          findings.push(rule.path);
        }
      }
    });
    return findings.length === 0 ? NagRuleCompliance.COMPLIANT : findings;
  },
);
