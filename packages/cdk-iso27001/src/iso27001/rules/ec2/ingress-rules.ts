import type { CfnResource } from 'aws-cdk-lib';
import { Stack } from 'aws-cdk-lib';
import { appIndexOf } from '../core/app-index';
import { referenceOf } from '../core/references';
import { viewOf } from '../core/resource-view';
import { literalList, literalNumber, literalString } from '../core/values';

/** The whole internet, IPv4 and IPv6. */
export const ANYWHERE = ['0.0.0.0/0', '::/0'];

/** One ingress rule as the resource under evaluation holds it. */
export interface OwnIngressRule {
  /** `SecurityGroupIngress.<i>` for an inline rule, `Properties` for a standalone ingress. */
  readonly path: string;
  readonly body: Record<string, unknown>;
}

/**
 * The ingress rules a security group holds inline, or the one rule of a standalone
 * `AWS::EC2::SecurityGroupIngress`; undefined for any other resource. Each rule is evaluated on
 * the resource that declares it, so a finding names the resource to fix.
 */
export function ownIngressRules(node: CfnResource): OwnIngressRule[] | undefined {
  if (node.cfnResourceType === 'AWS::EC2::SecurityGroupIngress') {
    return [{ path: 'Properties', body: viewOf(node).properties }];
  }
  if (node.cfnResourceType !== 'AWS::EC2::SecurityGroup') return undefined;
  return literalList(viewOf(node).properties.SecurityGroupIngress, 'SecurityGroupIngress').map(
    (body, i) => ({
      body: (body ?? {}) as Record<string, unknown>,
      path: `SecurityGroupIngress.${i}`,
    }),
  );
}

/** The inclusive port range a rule opens, or `all` for every protocol / port. */
export function portRangeOf(
  body: Record<string, unknown>,
  path: string,
): { readonly from: number; readonly to: number } | 'all' | undefined {
  const protocol = literalString(body.IpProtocol, `${path}.IpProtocol`)?.toLowerCase();
  if (protocol === '-1' || protocol === 'all') return 'all';
  if (protocol !== 'tcp' && protocol !== '6' && protocol !== 'udp' && protocol !== '17') {
    return undefined; // ICMP and other protocols carry no ports
  }
  const from = literalNumber(body.FromPort, `${path}.FromPort`) ?? -1;
  const to = literalNumber(body.ToPort, `${path}.ToPort`) ?? -1;
  if (from === -1 || to === -1) return 'all';
  return { from, to };
}

/** The source CIDR of a rule (IPv4 or IPv6), if it has one. */
export function sourceCidrOf(body: Record<string, unknown>, path: string): string | undefined {
  return (
    literalString(body.CidrIp, `${path}.CidrIp`) ?? literalString(body.CidrIpv6, `${path}.CidrIpv6`)
  );
}

/** The security group a standalone ingress belongs to, or the group itself. */
export function groupOf(node: CfnResource): CfnResource | undefined {
  if (node.cfnResourceType === 'AWS::EC2::SecurityGroup') return node;
  const stack = Stack.of(node);
  const ref = referenceOf(viewOf(node).properties.GroupId, stack);
  if (ref.kind !== 'logicalId' || ref.stack) return undefined;
  const group = appIndexOf(node).byLogicalId(stack, ref.logicalId);
  return group?.cfnResourceType === 'AWS::EC2::SecurityGroup' ? group : undefined;
}
