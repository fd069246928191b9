import type { CfnResource } from 'aws-cdk-lib';
import { Stack } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import type { AppIndex } from '../core/app-index';
import { appIndexOf } from '../core/app-index';
import { referenceOf } from '../core/references';
import { viewOf } from '../core/resource-view';
import { defineRule, NotCheckableError } from '../core/rule';
import { literalList } from '../core/values';

/** Route targets that reach the internet. */
const INTERNET_TARGETS = ['NatGatewayId', 'InstanceId', 'EgressOnlyInternetGatewayId'];

interface RouteTables {
  readonly tableOfSubnet: Map<string, string>;
  readonly routesOfTable: Map<string, CfnResource[]>;
}

function routeTables(index: AppIndex): RouteTables {
  return index.memo('route-tables', (idx) => {
    const tableOfSubnet = new Map<string, string>();
    const routesOfTable = new Map<string, CfnResource[]>();
    for (const assoc of idx.ofType('AWS::EC2::SubnetRouteTableAssociation')) {
      const stack = Stack.of(assoc);
      const props = viewOf(assoc).properties;
      const subnet = referenceOf(props.SubnetId, stack);
      const table = referenceOf(props.RouteTableId, stack);
      if (subnet.kind === 'logicalId' && table.kind === 'logicalId') {
        tableOfSubnet.set(`${stack.node.path}/${subnet.logicalId}`, table.logicalId);
      }
    }
    for (const route of idx.ofType('AWS::EC2::Route')) {
      const stack = Stack.of(route);
      const table = referenceOf(viewOf(route).properties.RouteTableId, stack);
      if (table.kind !== 'logicalId') continue;
      const key = `${stack.node.path}/${table.logicalId}`;
      routesOfTable.set(key, [...(routesOfTable.get(key) ?? []), route]);
    }
    return { tableOfSubnet, routesOfTable };
  });
}

function reachesInternet(route: CfnResource, stack: Stack, index: AppIndex): boolean {
  const props = viewOf(route).properties;
  if (INTERNET_TARGETS.some((key) => props[key] !== undefined)) return true;
  if (props.GatewayId === undefined) return false;
  const gateway = referenceOf(props.GatewayId, stack);
  if (gateway.kind === 'text') return gateway.text.startsWith('igw-');
  if (gateway.kind === 'logicalId') {
    return (
      index.byLogicalId(stack, gateway.logicalId)?.cfnResourceType === 'AWS::EC2::InternetGateway'
    );
  }
  throw new NotCheckableError(`${viewOf(route).logicalId}.GatewayId`);
}

/**
 * Every subnet of a DB subnet group is isolated: its route table (found through the subnet's
 * route table association in the same stack) has no route to an internet gateway, NAT gateway,
 * NAT instance or egress-only internet gateway. Findings name the subnets with such a route. A
 * subnet that is not a resource of the stack (an id literal, an import) is not checkable.
 * cdk-nag has no equivalent (`VPCNoUnrestrictedRouteToIGW` looks at routes, not at databases).
 */
export const DatabaseSubnetsIsolated = defineRule('DatabaseSubnetsIsolated', (node) => {
  if (node.cfnResourceType !== 'AWS::RDS::DBSubnetGroup') return NagRuleCompliance.NOT_APPLICABLE;
  const stack = Stack.of(node);
  const index = appIndexOf(node);
  const { tableOfSubnet, routesOfTable } = routeTables(index);
  const findings: string[] = [];
  literalList(viewOf(node).properties.SubnetIds, 'SubnetIds').forEach((value, i) => {
    const subnet = referenceOf(value, stack);
    if (subnet.kind !== 'logicalId') throw new NotCheckableError(`SubnetIds.${i}`);
    const home = subnet.stack ?? stack;
    const table = tableOfSubnet.get(`${home.node.path}/${subnet.logicalId}`);
    const routes =
      table === undefined ? [] : (routesOfTable.get(`${home.node.path}/${table}`) ?? []);
    if (routes.some((route) => reachesInternet(route, home, index)))
      findings.push(subnet.logicalId);
  });
  return findings.length === 0 ? NagRuleCompliance.COMPLIANT : findings;
});
