import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { PlatformNetworkProps } from '../../../lib/constructs/network/platform-network';
import { PlatformNetwork } from '../../../lib/constructs/network/platform-network';
import { bareStack } from '../../support/bare-stack';

type Resources = Record<string, { Type: string; Properties?: Record<string, any> }>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CIDR = '10.20.0.0/16';
const AZS = ['ap-southeast-2a', 'ap-southeast-2b', 'ap-southeast-2c'];

function build(props: Partial<PlatformNetworkProps> = {}) {
  const stack = bareStack();
  new PlatformNetwork(stack, 'Network', {
    cidr: CIDR,
    availabilityZones: AZS,
    natGateways: 'perAz',
    logsKey: new kms.Key(stack, 'LogsKey'),
    flowLogRetention: logs.RetentionDays.ONE_YEAR,
    flowLogGroupName: '/logi-prod-flow-logs',
    ...props,
  });
  const template = Template.fromStack(stack);
  return { template, resources: template.toJSON().Resources as Resources };
}

const { template, resources } = build();
const ofType = (type: string, r: Resources = resources) =>
  Object.entries(r).filter(([, v]) => v.Type === type);
const subnetIds = (group: string, r: Resources = resources) =>
  ofType('AWS::EC2::Subnet', r)
    .filter(([, s]) =>
      (s.Properties?.Tags ?? []).some(
        (t: { Key: string; Value: string }) => t.Key === 'aws-cdk:subnet-name' && t.Value === group,
      ),
    )
    .map(([id]) => id);
const routeTableOf = (subnet: string, r: Resources = resources) =>
  ofType('AWS::EC2::SubnetRouteTableAssociation', r).find(
    ([, a]) => a.Properties?.SubnetId?.Ref === subnet,
  )?.[1].Properties?.RouteTableId?.Ref;

test('one VPC with the given range, across exactly the given AZs', () => {
  template.resourceCountIs('AWS::EC2::VPC', 1);
  template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: CIDR });
  const azs = new Set(ofType('AWS::EC2::Subnet').map(([, s]) => s.Properties?.AvailabilityZone));
  expect([...azs].sort()).toEqual(AZS);
});

test('three public, three private and three isolated subnets; no public IP on launch', () => {
  for (const group of ['Ingress', 'Compute', 'Database']) expect(subnetIds(group)).toHaveLength(3);
  for (const subnet of subnetIds('Ingress')) {
    expect(resources[subnet].Properties?.MapPublicIpOnLaunch).toBe(false);
  }
});

test('isolated subnets have no route at all; only public ones reach the internet gateway', () => {
  const isolated = new Set(subnetIds('Database').map((s) => routeTableOf(s)));
  const publicTables = new Set(subnetIds('Ingress').map((s) => routeTableOf(s)));
  const privateTables = new Set(subnetIds('Compute').map((s) => routeTableOf(s)));
  expect(isolated.size).toBe(3);
  const routes = ofType('AWS::EC2::Route');
  expect(routes.filter(([, r]) => isolated.has(r.Properties?.RouteTableId?.Ref))).toEqual([]);
  for (const [, route] of routes) {
    const table = route.Properties?.RouteTableId?.Ref;
    if (route.Properties?.GatewayId) expect(publicTables.has(table)).toBe(true);
    if (route.Properties?.NatGatewayId) expect(privateTables.has(table)).toBe(true);
    expect(Object.keys(route.Properties ?? {})).toEqual(
      expect.arrayContaining(['DestinationCidrBlock', 'RouteTableId']),
    );
  }
  expect(routes).toHaveLength(6);
});

test.each([
  ['perAz', 3],
  ['single', 1],
] as const)('NAT gateways %s: %i', (natGateways, count) => {
  const built = natGateways === 'perAz' ? template : build({ natGateways }).template;
  built.resourceCountIs('AWS::EC2::NatGateway', count);
});

test('a network ACL on the isolated subnets admits and sends only the VPC range', () => {
  template.resourceCountIs('AWS::EC2::NetworkAcl', 1);
  const associated = ofType('AWS::EC2::SubnetNetworkAclAssociation').map(
    ([, a]) => a.Properties?.SubnetId.Ref,
  );
  expect(associated.sort()).toEqual(subnetIds('Database').sort());
  const entries = ofType('AWS::EC2::NetworkAclEntry').map(([, e]) => e.Properties);
  expect(entries).toHaveLength(2);
  for (const entry of entries) {
    expect(entry).toMatchObject({ CidrBlock: CIDR, RuleAction: 'allow', Protocol: -1 });
  }
  expect(entries.map((e) => e?.Egress).sort()).toEqual([false, true]);
});

test('flow logs of all traffic to a log group with the key, retention, name; retained', () => {
  template.hasResourceProperties('AWS::EC2::FlowLog', {
    ResourceType: 'VPC',
    TrafficType: 'ALL',
    LogDestinationType: 'cloud-watch-logs',
  });
  template.hasResource('AWS::Logs::LogGroup', {
    Properties: {
      LogGroupName: '/logi-prod-flow-logs',
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^LogsKey'), 'Arn'] },
      RetentionInDays: 365,
    },
    DeletionPolicy: 'Retain',
  });
});

test('the flow-log role: only VPC Flow Logs of this account, writing to its one log group', () => {
  template.hasResourceProperties('AWS::IAM::Role', {
    AssumeRolePolicyDocument: {
      Statement: [
        Match.objectLike({
          Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': '333333333333' } },
        }),
      ],
    },
  });
  const [[groupId]] = ofType('AWS::Logs::LogGroup');
  const policies = ofType('AWS::IAM::ManagedPolicy');
  expect(policies).toHaveLength(1);
  expect(policies[0][1].Properties?.PolicyDocument.Statement).toEqual([
    {
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
      Resource: [
        { 'Fn::GetAtt': [groupId, 'Arn'] },
        { 'Fn::Join': ['', [{ 'Fn::GetAtt': [groupId, 'Arn'] }, ':*']] },
      ],
    },
  ]);
  template.resourceCountIs('AWS::IAM::Policy', 0); // no inline policy
});

test('the default security group is closed', () => {
  template.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
});

test('gateway endpoints for S3 and DynamoDB, private-DNS interface endpoints for the AWS APIs', () => {
  const endpoints = ofType('AWS::EC2::VPCEndpoint').map(([, e]) => e.Properties);
  const serviceOf = (e: unknown) => JSON.stringify((e as { ServiceName: unknown }).ServiceName);
  const gateway = endpoints.filter((e) => e?.VpcEndpointType === 'Gateway').map(serviceOf);
  expect(gateway.join()).toMatch(/s3/);
  expect(gateway.join()).toMatch(/dynamodb/);
  const iface = endpoints.filter((e) => e?.VpcEndpointType === 'Interface');
  const names = iface.map(serviceOf).join();
  const services = ['kms', 'secretsmanager', 'sts', 'lambda', 'logs', 'monitoring'];
  // SQS (the sweep), X-Ray (active tracing), Backup and RDS (restore validation).
  services.push('sqs', 'xray', 'backup', 'rds');
  for (const service of services) expect(names).toContain(`.${service}"`);
  expect(iface).toHaveLength(services.length);
  for (const e of iface) expect(e?.PrivateDnsEnabled).toBe(true);
});

test('interface endpoints admit HTTPS only from the VPC range, and send nothing', () => {
  template.hasResourceProperties('AWS::EC2::SecurityGroup', {
    GroupDescription: Match.stringLikeRegexp('interface endpoints'),
    SecurityGroupIngress: [{ CidrIp: CIDR, FromPort: 443, ToPort: 443, IpProtocol: 'tcp' }],
    SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32' })],
  });
});

test('no peering, transit gateway or VPN attachment', () => {
  for (const { Type } of Object.values(resources)) {
    expect(Type).not.toMatch(/VPCPeering|TransitGateway|VPNGateway|VPNConnection|CustomerGateway/);
  }
});
