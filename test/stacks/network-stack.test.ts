import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { environmentRegions, loadConfig } from '../../lib/config';
import { stackId } from '../../lib/stacks/platform-stack';
import { synthesizeDefaultPlatform, templates } from '../support/cloud-assembly';
import { snapshotTests } from '../support/stack-snapshots';

type Resources = Record<string, { Type: string; Properties?: Record<string, any> }>; // eslint-disable-line @typescript-eslint/no-explicit-any

const config = loadConfig();
const synth = synthesizeDefaultPlatform();
const all = templates(synth.dir);
const targets = environmentRegions(config);

function ofType(resources: Resources, type: string) {
  return Object.entries(resources).filter(([, r]) => r.Type === type);
}

describe.each(targets.map((t) => [stackId(t, 'Network'), t] as const))('%s', (id, target) => {
  const json = all[id] as { Resources: Resources };
  const template = Template.fromJSON(json);
  const resources = json.Resources;

  const subnetIds = (group: string) =>
    ofType(resources, 'AWS::EC2::Subnet')
      .filter(([, r]) =>
        (r.Properties?.Tags ?? []).some(
          (t: { Key: string; Value: string }) =>
            t.Key === 'aws-cdk:subnet-name' && t.Value === group,
        ),
      )
      .map(([logicalId]) => logicalId);
  const routeTableOf = (subnet: string) =>
    ofType(resources, 'AWS::EC2::SubnetRouteTableAssociation').find(
      ([, r]) => r.Properties?.SubnetId?.Ref === subnet,
    )?.[1].Properties?.RouteTableId?.Ref;

  test('is deployed to its environment account and region', () => {
    const manifest = JSON.parse(readFileSync(join(synth.dir, 'manifest.json'), 'utf8'));
    expect(manifest.artifacts[id].environment).toBe(`aws://${target.env.account}/${target.region}`);
  });

  test('one VPC with the configured CIDR, across three AZs', () => {
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: target.network.vpcCidr });
    const azs = new Set(
      ofType(resources, 'AWS::EC2::Subnet').map(([, r]) => r.Properties?.AvailabilityZone),
    );
    expect([...azs].sort()).toEqual([...target.availabilityZones].sort());
  });

  test('public, private and isolated subnets, three of each', () => {
    expect(subnetIds('Ingress')).toHaveLength(3);
    expect(subnetIds('Compute')).toHaveLength(3);
    expect(subnetIds('Database')).toHaveLength(3);
    for (const subnet of subnetIds('Ingress')) {
      expect(resources[subnet].Properties?.MapPublicIpOnLaunch).toBe(false);
    }
  });

  test('isolated subnets have no route to an internet or NAT gateway', () => {
    const isolatedTables = new Set(subnetIds('Database').map(routeTableOf));
    const routes = ofType(resources, 'AWS::EC2::Route').filter(([, r]) =>
      isolatedTables.has(r.Properties?.RouteTableId?.Ref),
    );
    expect(isolatedTables.size).toBe(3);
    expect(routes).toEqual([]);
  });

  test('compute subnets leave through NAT; only public subnets route to the internet gateway', () => {
    const natCount = target.env.natGateways === 'perAz' ? 3 : 1;
    template.resourceCountIs('AWS::EC2::NatGateway', natCount);
    const publicTables = new Set(subnetIds('Ingress').map(routeTableOf));
    const privateTables = new Set(subnetIds('Compute').map(routeTableOf));
    for (const [, route] of ofType(resources, 'AWS::EC2::Route')) {
      const table = route.Properties?.RouteTableId?.Ref;
      if (route.Properties?.GatewayId) expect(publicTables.has(table)).toBe(true);
      if (route.Properties?.NatGatewayId) expect(privateTables.has(table)).toBe(true);
      expect(Object.keys(route.Properties ?? {}).sort()).toEqual(
        expect.arrayContaining(['DestinationCidrBlock', 'RouteTableId']),
      );
    }
    expect(ofType(resources, 'AWS::EC2::Route').length).toBe(6);
  });

  test('a network ACL on the isolated subnets admits only the VPC range', () => {
    const acls = ofType(resources, 'AWS::EC2::NetworkAcl');
    expect(acls).toHaveLength(1);
    const associations = ofType(resources, 'AWS::EC2::SubnetNetworkAclAssociation');
    expect(associations.map(([, r]) => r.Properties?.SubnetId.Ref).sort()).toEqual(
      subnetIds('Database').sort(),
    );
    const entries = ofType(resources, 'AWS::EC2::NetworkAclEntry').map(([, r]) => r.Properties);
    expect(entries).toHaveLength(2);
    for (const entry of entries) {
      expect(entry).toMatchObject({
        CidrBlock: target.network.vpcCidr,
        RuleAction: 'allow',
        Protocol: -1,
      });
    }
    expect(entries.map((e) => e?.Egress).sort()).toEqual([false, true]);
  });

  test('flow logs of all traffic go to a KMS-encrypted log group kept as configured', () => {
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceType: 'VPC',
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^LogsKey'), 'Arn'] },
      RetentionInDays: target.env.flowLogRetentionDays,
    });
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain' });
    if (target.env.production) {
      expect(target.env.flowLogRetentionDays).toBeGreaterThanOrEqual(365);
    }
  });

  test('the logs key rotates, waits 30 days before deletion and has its deterministic alias', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      PendingWindowInDays: 30,
    });
    template.hasResourceProperties('AWS::KMS::Alias', {
      AliasName: `alias/${config.app}-${target.envName}-${target.region}-logs-network`,
    });
  });

  test('the default security group is closed', () => {
    template.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
  });

  test('gateway endpoints for S3 and DynamoDB, interface endpoints for the AWS APIs', () => {
    const endpoints = ofType(resources, 'AWS::EC2::VPCEndpoint').map(([, r]) => r.Properties);
    const serviceOf = (e: any) => JSON.stringify(e.ServiceName); // eslint-disable-line @typescript-eslint/no-explicit-any
    const gateway = endpoints.filter((e) => e?.VpcEndpointType === 'Gateway').map(serviceOf);
    const iface = endpoints.filter((e) => e?.VpcEndpointType === 'Interface');
    expect(gateway.join()).toMatch(/s3/);
    expect(gateway.join()).toMatch(/dynamodb/);
    const names = iface.map(serviceOf).join();
    for (const service of ['kms', 'secretsmanager', 'sts', 'logs', 'monitoring']) {
      expect(names).toContain(`.${service}`);
    }
    for (const e of iface) expect(e?.PrivateDnsEnabled).toBe(true);
  });

  test('interface endpoints admit HTTPS only from the VPC range', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: [
        { CidrIp: target.network.vpcCidr, FromPort: 443, ToPort: 443, IpProtocol: 'tcp' },
      ],
    });
  });

  test('no peering, transit gateway or VPN attachment', () => {
    for (const type of Object.values(resources).map((r) => r.Type)) {
      expect(type).not.toMatch(
        /VPCPeering|TransitGateway|VPNGateway|VPNConnection|CustomerGateway/,
      );
    }
  });

  test('tagged with Application, Environment, Owner and DataClassification', () => {
    template.hasResourceProperties('AWS::EC2::VPC', {
      Tags: Match.arrayWith([
        { Key: 'Application', Value: config.app },
        { Key: 'DataClassification', Value: config.dataClassification },
        { Key: 'Environment', Value: target.envName },
        { Key: 'Owner', Value: config.owner },
      ]),
    });
  });
});

test('no two VPCs of the platform share an address range', () => {
  const cidrs = targets.map((t) => {
    const json = all[stackId(t, 'Network')] as { Resources: Resources };
    return ofType(json.Resources, 'AWS::EC2::VPC')[0][1].Properties?.CidrBlock;
  });
  expect(new Set(cidrs).size).toBe(targets.length);
});

snapshotTests('Network');
