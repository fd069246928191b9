import type { CfnResource } from 'aws-cdk-lib';
import { Stack } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { appIndexOf } from '../core/app-index';
import { referenceOf } from '../core/references';
import { viewOf } from '../core/resource-view';
import { defineRule, NotCheckableError } from '../core/rule';
import { literalList, literalString } from '../core/values';
import { ANYWHERE, groupOf, ownIngressRules, portRangeOf, sourceCidrOf } from './ingress-rules';

/** The ports an internet-facing load balancer may open to the internet: HTTP (to redirect) and HTTPS. */
export const WEB_PORTS = [80, 443];

const LOAD_BALANCERS = [
  'AWS::ElasticLoadBalancingV2::LoadBalancer',
  'AWS::ElasticLoadBalancing::LoadBalancer',
];

/** Whether the group is attached (by logical id, same stack) to an internet-facing load balancer. */
function isInternetFacingLoadBalancerGroup(group: CfnResource): boolean {
  const stack = Stack.of(group);
  const groupId = viewOf(group).logicalId;
  const index = appIndexOf(group);
  return LOAD_BALANCERS.some((type) =>
    index.ofType(type).some((lb) => {
      if (Stack.of(lb) !== stack) return false;
      const props = viewOf(lb).properties;
      const scheme = literalString(props.Scheme, 'Scheme') ?? 'internet-facing';
      if (scheme !== 'internet-facing') return false;
      return literalList(props.SecurityGroups, 'SecurityGroups').some((value) => {
        const ref = referenceOf(value, stack);
        return ref.kind === 'logicalId' && !ref.stack && ref.logicalId === groupId;
      });
    }),
  );
}

/**
 * No ingress rule admits `0.0.0.0/0` or `::/0`, whatever the group is attached to (an instance, a
 * function, an endpoint, nothing yet), except TCP 80 and 443 on the security group of an
 * internet-facing load balancer: the named public entry points. Findings are the rule paths. A
 * standalone ingress whose group is not a resource of its stack cannot be told apart from a load
 * balancer's and is not checkable.
 *
 * Own rule: cdk-nag's `EC2RestrictedInbound` looks at inline IPv4 rules only, and
 * `NoOpenAdminPorts` at SSH and RDP only.
 */
export const NoInternetIngress = defineRule('NoInternetIngress', (node) => {
  const rules = ownIngressRules(node);
  if (!rules) return NagRuleCompliance.NOT_APPLICABLE;
  const open = rules.filter(({ body, path }) => {
    const cidr = sourceCidrOf(body, path);
    return cidr !== undefined && ANYWHERE.includes(cidr);
  });
  if (open.length === 0) return NagRuleCompliance.COMPLIANT;
  const group = groupOf(node);
  if (!group) throw new NotCheckableError('GroupId');
  const entryPoint = isInternetFacingLoadBalancerGroup(group);
  const findings = open
    .filter(({ body, path }) => {
      if (!entryPoint) return true;
      const range = portRangeOf(body, path);
      const tcp = ['tcp', '6'].includes(
        literalString(body.IpProtocol, `${path}.IpProtocol`)?.toLowerCase() ?? '',
      );
      return !(
        tcp &&
        range !== undefined &&
        range !== 'all' &&
        range.from === range.to &&
        WEB_PORTS.includes(range.from)
      );
    })
    .map(({ path }) => path);
  return findings.length === 0 ? NagRuleCompliance.COMPLIANT : findings;
});
