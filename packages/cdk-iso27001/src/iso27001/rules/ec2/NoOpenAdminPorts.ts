import { NagRuleCompliance } from 'cdk-nag';
import { viewOf } from '../core/resource-view';
import { defineRule } from '../core/rule';
import { literalList, literalNumber, literalString } from '../core/values';

const ADMIN_PORTS = [22, 3389];
const ANYWHERE = ['0.0.0.0/0', '::/0'];

/** The admin ports an ingress rule opens to the whole internet (IPv4 or IPv6). */
export function openAdminPorts(body: Record<string, unknown>, path: string): number[] {
  const cidr =
    literalString(body.CidrIp, `${path}.CidrIp`) ??
    literalString(body.CidrIpv6, `${path}.CidrIpv6`);
  if (cidr === undefined || !ANYWHERE.includes(cidr)) return [];
  const protocol = literalString(body.IpProtocol, `${path}.IpProtocol`)?.toLowerCase();
  if (protocol === '-1' || protocol === 'all') return ADMIN_PORTS;
  if (protocol !== 'tcp' && protocol !== '6') return [];
  const from = literalNumber(body.FromPort, `${path}.FromPort`) ?? -1;
  const to = literalNumber(body.ToPort, `${path}.ToPort`) ?? -1;
  if (from === -1 || to === -1) return ADMIN_PORTS;
  return ADMIN_PORTS.filter((port) => from <= port && port <= to);
}

/**
 * No security group (inline rule) or standalone ingress opens SSH (22) or RDP (3389) to
 * `0.0.0.0/0` or `::/0`. Findings are `<rule path>:<port>`.
 *
 * Own rule: cdk-nag's `EC2RestrictedSSH` / `EC2RestrictedCommonPorts` look at IPv4 only, and
 * throw (an error finding with no detail) on a token in any field.
 */
export const NoOpenAdminPorts = defineRule('NoOpenAdminPorts', (node) => {
  const view =
    node.cfnResourceType === 'AWS::EC2::SecurityGroup' ||
    node.cfnResourceType === 'AWS::EC2::SecurityGroupIngress'
      ? viewOf(node)
      : undefined;
  if (!view) return NagRuleCompliance.NOT_APPLICABLE;
  const rules =
    view.type === 'AWS::EC2::SecurityGroup'
      ? literalList(view.properties.SecurityGroupIngress, 'SecurityGroupIngress').map(
          (body, i) => ({
            body: (body ?? {}) as Record<string, unknown>,
            path: `SecurityGroupIngress.${i}`,
          }),
        )
      : [{ body: view.properties, path: 'Properties' }];
  const findings = rules.flatMap(({ body, path }) =>
    openAdminPorts(body, path).map((port) => `${path}:${port}`),
  );
  return findings.length === 0 ? NagRuleCompliance.COMPLIANT : findings;
});
