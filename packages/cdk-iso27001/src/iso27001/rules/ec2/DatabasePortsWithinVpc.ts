import { Stack } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { appIndexOf } from '../core/app-index';
import { referenceOf } from '../core/references';
import { viewOf } from '../core/resource-view';
import { defineRule, NotCheckableError } from '../core/rule';
import { literalString } from '../core/values';
import { groupOf, ownIngressRules, portRangeOf, sourceCidrOf } from './ingress-rules';

/**
 * Database and cache ports: PostgreSQL, MySQL / Aurora, SQL Server, Oracle, Redshift, MongoDB /
 * DocumentDB, Redis, Memcached, Cassandra / Keyspaces, Neptune, OpenSearch transport.
 */
export const DATABASE_PORTS = [5432, 3306, 1433, 1521, 5439, 27017, 6379, 11211, 9042, 8182, 9300];

function ipv4(cidr: string): { readonly base: number; readonly bits: number } | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) return undefined;
  const base = m.slice(1, 5).reduce((acc, o) => acc * 256 + Number(o), 0);
  return { base, bits: Number(m[5]) };
}

/** Whether `inner` lies within `outer` (IPv4 only). */
export function cidrWithin(inner: string, outer: string): boolean {
  const a = ipv4(inner);
  const b = ipv4(outer);
  if (!a || !b || a.bits < b.bits) return false;
  const size = 2 ** (32 - b.bits);
  return Math.floor(a.base / size) === Math.floor(b.base / size);
}

/** The IPv4 CIDR of the group's VPC when the VPC is a resource of the same stack. */
function vpcCidrOf(group: Parameters<typeof viewOf>[0]): string | undefined {
  const stack = Stack.of(group);
  const ref = referenceOf(viewOf(group).properties.VpcId, stack);
  if (ref.kind !== 'logicalId' || ref.stack) return undefined;
  const vpc = appIndexOf(group).byLogicalId(stack, ref.logicalId);
  if (!vpc || vpc.cfnResourceType !== 'AWS::EC2::VPC') return undefined;
  return literalString(viewOf(vpc).properties.CidrBlock, 'VPC.CidrBlock');
}

/**
 * No ingress rule opens a database or cache port (`DATABASE_PORTS`, or every port) to a CIDR
 * outside the group's VPC, whatever the group is attached to: any IPv6 CIDR, and any IPv4 CIDR not
 * within the VPC's `CidrBlock`. Findings are `<rule path>:<cidr>`. A rule with a CIDR on a
 * database port whose VPC is not a resource of the stack is not checkable.
 *
 * Own rule: `DatabaseSecurityGroupSourcesOnly` checks the groups attached to a database; this one
 * finds the exposure before anything is attached.
 */
export const DatabasePortsWithinVpc = defineRule('DatabasePortsWithinVpc', (node) => {
  const rules = ownIngressRules(node);
  if (!rules) return NagRuleCompliance.NOT_APPLICABLE;
  const onDatabasePorts = rules.filter(({ body, path }) => {
    if (sourceCidrOf(body, path) === undefined) return false;
    const range = portRangeOf(body, path);
    if (range === undefined) return false;
    return range === 'all' || DATABASE_PORTS.some((p) => range.from <= p && p <= range.to);
  });
  if (onDatabasePorts.length === 0) return NagRuleCompliance.COMPLIANT;
  const findings: string[] = [];
  for (const { body, path } of onDatabasePorts) {
    const cidr = sourceCidrOf(body, path) as string;
    if (literalString(body.CidrIpv6, `${path}.CidrIpv6`) !== undefined) {
      findings.push(`${path}:${cidr}`);
      continue;
    }
    const group = groupOf(node);
    const vpcCidr = group ? vpcCidrOf(group) : undefined;
    if (vpcCidr === undefined) throw new NotCheckableError(`${path}.VpcId`);
    if (!cidrWithin(cidr, vpcCidr)) findings.push(`${path}:${cidr}`);
  }
  return findings.length === 0 ? NagRuleCompliance.COMPLIANT : findings;
});
