import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { FunctionReach } from '../../../lib/constructs/network/function-security-group';
import { FunctionSecurityGroup } from '../../../lib/constructs/network/function-security-group';
import { bareStack } from '../../support/bare-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * One group per shape of reach, all in one stack (as the Network stack makes them next to the
 * endpoints' group): nothing, interface endpoints only, one gateway, both gateways and the NAT,
 * and a database family (whose database rule is written elsewhere).
 */
const REACH = {
  nothing: { description: 'reaches nothing', interfaceApis: [], gatewayApis: [], database: false },
  endpointsOnly: {
    description: 'calls SQS and X-Ray',
    interfaceApis: ['sqs', 'xray'],
    gatewayApis: [],
    database: false,
  },
  dynamodbOnly: {
    description: 'reads the registry',
    interfaceApis: [],
    gatewayApis: ['dynamodb'],
    database: false,
  },
  everything: {
    description: 'registry, buckets and Cognito',
    interfaceApis: ['xray'],
    gatewayApis: ['s3', 'dynamodb'],
    publicHttps: 'Cognito user pools (no usable VPC endpoint)',
    database: false,
  },
  database: {
    description: 'talks to Aurora',
    interfaceApis: ['secretsmanager'],
    gatewayApis: [],
    database: true,
  },
} satisfies Record<string, FunctionReach>;
type Shape = keyof typeof REACH;

const stack: Stack = bareStack();
const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
  vpcId: 'vpc-0123456789abcdef0',
  availabilityZones: ['ap-southeast-2a'],
});
const endpoints = new ec2.SecurityGroup(stack, 'Endpoints', { vpc, allowAllOutbound: false });
const groups = Object.fromEntries(
  Object.entries(REACH).map(([shape, reach]) => [
    shape,
    new FunctionSecurityGroup(stack, shape, {
      vpc,
      reach,
      endpointSecurityGroup: endpoints,
      prefixLists: { s3: 'pl-s3', dynamodb: 'pl-dynamodb' },
    }),
  ]),
) as Record<Shape, FunctionSecurityGroup>;
const resources = Template.fromStack(stack).toJSON().Resources as Record<string, Json>;

const idOf = (group: ec2.SecurityGroup) => stack.getLogicalId(group.node.defaultChild as never);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const groupIdOf = (group: ec2.SecurityGroup) => ({ 'Fn::GetAtt': [idOf(group), 'GroupId'] });
/** The CDK's placeholder rule on a group with no egress (it matches no real traffic). */
const isNoEgressMarker = (rule: Json) => rule.CidrIp === '255.255.255.255/32';

/** Every rule of one direction of a group: inline on the group or a separate resource. */
function rulesOf(group: ec2.SecurityGroup, direction: 'Egress' | 'Ingress'): Json[] {
  const inline = (resources[idOf(group)].Properties[`SecurityGroup${direction}`] ?? []) as Json[];
  const separate = Object.values(resources)
    .filter((r) => r.Type === `AWS::EC2::SecurityGroup${direction}`)
    .map((r) => r.Properties)
    .filter((p) => same(p.GroupId, groupIdOf(group)));
  return [...inline, ...separate];
}

/** A group's egress as `destination:protocol/port`, the CDK's no-egress marker left out. */
function egressOf(shape: Shape): string[] {
  return rulesOf(groups[shape], 'Egress')
    .filter((rule) => !isNoEgressMarker(rule))
    .map((rule) => {
      const to =
        rule.CidrIp ??
        rule.CidrIpv6 ??
        rule.DestinationPrefixListId ??
        (same(rule.DestinationSecurityGroupId, groupIdOf(endpoints))
          ? 'endpoints'
          : JSON.stringify(rule.DestinationSecurityGroupId));
      const ports =
        rule.FromPort === rule.ToPort ? rule.FromPort : `${rule.FromPort}-${rule.ToPort}`;
      return `${to}:${rule.IpProtocol}/${ports}`;
    })
    .sort();
}

test.each(Object.keys(REACH) as Shape[])('%s: the group admits nothing', (shape) => {
  expect(rulesOf(groups[shape], 'Ingress')).toEqual([]);
});

test('a family that reaches nothing gets no egress at all, not the all-outbound default', () => {
  const rules = rulesOf(groups.nothing, 'Egress');
  expect(rules.length).toBeGreaterThan(0); // without any rule, EC2 would allow all outbound
  expect(rules.every(isNoEgressMarker)).toBe(true);
});

test('an interface-endpoint family reaches only the endpoints, on HTTPS, once for all its APIs', () => {
  expect(egressOf('endpointsOnly')).toEqual(['endpoints:tcp/443']);
  const [rule] = rulesOf(groups.endpointsOnly, 'Egress');
  expect(rule.Description).toMatch(/interface endpoints \(sqs, xray\)/);
});

test('a gateway family reaches only the prefix lists it names: DynamoDB, not S3', () => {
  expect(egressOf('dynamodbOnly')).toEqual(['pl-dynamodb:tcp/443']);
});

test('the widest family: endpoints, both prefix lists and public HTTPS, all on 443 only', () => {
  expect(egressOf('everything')).toEqual([
    '0.0.0.0/0:tcp/443',
    'endpoints:tcp/443',
    'pl-dynamodb:tcp/443',
    'pl-s3:tcp/443',
  ]);
});

test('public HTTPS only where the family says why, and the rule carries the reason', () => {
  for (const shape of Object.keys(REACH) as Shape[]) {
    const publicRules = rulesOf(groups[shape], 'Egress').filter(
      (r) => r.CidrIp === '0.0.0.0/0' || r.CidrIpv6 !== undefined,
    );
    if (shape === 'everything') {
      expect(publicRules).toHaveLength(1);
      expect(publicRules[0].Description).toBe(
        `HTTPS through the NAT gateway: ${REACH.everything.publicHttps}`,
      );
    } else {
      expect(publicRules).toEqual([]);
    }
  }
});

test('a database family gets no database rule here: it is written where the database is', () => {
  expect(egressOf('database')).toEqual(['endpoints:tcp/443']);
  expect(groups.database.reach.database).toBe(true);
});

test("the group's description is the family's, so a reviewer sees what it is for", () => {
  for (const shape of Object.keys(REACH) as Shape[]) {
    expect(resources[idOf(groups[shape])].Properties.GroupDescription).toBe(
      REACH[shape].description,
    );
    expect(resources[idOf(groups[shape])].Properties.VpcId).toBe('vpc-0123456789abcdef0');
  }
});
