import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AuroraDatabase } from '../../../lib/constructs/data/aurora-database';
import type { FunctionFamily } from '../../../lib/constructs/network/function-groups';
import { FunctionGroups } from '../../../lib/constructs/network/function-groups';
import { bareStack } from '../../support/bare-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const AZS = ['ap-southeast-2a', 'ap-southeast-2b', 'ap-southeast-2c'];
const stack = bareStack();
const vpc = new ec2.Vpc(stack, 'Vpc', {
  availabilityZones: AZS,
  natGateways: 1,
  subnetConfiguration: [
    { name: 'Ingress', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
    { name: 'Compute', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 24 },
    { name: 'Database', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
  ],
});
const endpoints = new ec2.SecurityGroup(stack, 'Endpoints', { vpc, allowAllOutbound: false });
const functionGroups = new FunctionGroups(stack, 'FunctionGroups', {
  vpc,
  endpointSecurityGroup: endpoints,
  prefixLists: { s3: 'pl-s3', dynamodb: 'pl-dynamodb' },
  peerRegion: 'ap-southeast-4',
});
const database = new AuroraDatabase(stack, 'Db', {
  role: 'standalone',
  vpc,
  subnetGroupName: 'logi-prod-db-subnets',
  clientSecurityGroups: functionGroups.databaseClients,
  clusterIdentifier: 'logi-prod-ap-southeast-2-aurora',
  engineVersion: '16.6',
  instanceClass: 'r6g.large',
  availabilityZones: AZS,
  key: new kms.Key(stack, 'DatabaseKey'),
  backupRetentionDays: 35,
  logRetention: logs.RetentionDays.ONE_YEAR,
  logsKey: new kms.Key(stack, 'LogsKey'),
  masterSecretName: 'logi-prod-aurora-master',
  rotationSecurityGroup: functionGroups.groups.secretRotation,
});
const resources = Template.fromStack(stack).toJSON().Resources as Record<string, Json>;
const idOf = (c: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(c.node.defaultChild as never);
const ref = (c: { node: { defaultChild?: unknown } }) => ({ 'Fn::GetAtt': [idOf(c), 'GroupId'] });
const ENDPOINTS = ref(endpoints);
const DATABASE = ref(database.securityGroup);

/** Every egress of a group, inline or a separate resource, as `destination:port`. */
function egressOf(family: FunctionFamily): string[] {
  const group = functionGroups.groups[family];
  const inline = (resources[idOf(group)].Properties.SecurityGroupEgress ?? []) as Json[];
  const separate = Object.values(resources)
    .filter((r) => r.Type === 'AWS::EC2::SecurityGroupEgress')
    .map((r) => r.Properties)
    .filter((p) => JSON.stringify(p.GroupId) === JSON.stringify(ref(group)));
  return [...inline, ...separate]
    .filter((rule) => rule.CidrIp !== '255.255.255.255/32') // the CDK's "no egress" marker
    .map((rule) => {
      const to =
        rule.CidrIp ??
        rule.DestinationPrefixListId ??
        (JSON.stringify(rule.DestinationSecurityGroupId) === JSON.stringify(ENDPOINTS)
          ? 'endpoints'
          : JSON.stringify(rule.DestinationSecurityGroupId) === JSON.stringify(DATABASE)
            ? 'database'
            : JSON.stringify(rule.DestinationSecurityGroupId));
      expect(rule.IpProtocol).toBe('tcp');
      expect(rule.FromPort).toBe(rule.ToPort);
      return `${to}:${rule.FromPort}`;
    })
    .sort();
}

const EXPECTED: Record<FunctionFamily, string[]> = {
  adminRegistryApi: ['endpoints:443', 'pl-dynamodb:443'],
  adminUserApi: ['0.0.0.0/0:443', 'endpoints:443', 'pl-dynamodb:443'],
  lifecycleSweep: ['endpoints:443', 'pl-dynamodb:443'],
  archiveWorker: [
    '0.0.0.0/0:443',
    'database:5432',
    'endpoints:443',
    'pl-dynamodb:443',
    'pl-s3:443',
  ],
  purgeWorker: ['0.0.0.0/0:443', 'endpoints:443', 'pl-dynamodb:443', 'pl-s3:443'],
  databaseBootstrap: ['database:5432', 'endpoints:443'],
  secretRotation: ['database:5432', 'endpoints:443'],
};

test.each(Object.entries(EXPECTED))('%s: exactly this egress, nothing else', (family, expected) => {
  expect(egressOf(family as FunctionFamily)).toEqual(expected);
});

test('without a peer region the archive worker reaches no public address', () => {
  const single = bareStack();
  const singleVpc = new ec2.Vpc(single, 'Vpc', { availabilityZones: AZS, natGateways: 1 });
  const built = new FunctionGroups(single, 'FunctionGroups', {
    vpc: singleVpc,
    endpointSecurityGroup: new ec2.SecurityGroup(single, 'Endpoints', { vpc: singleVpc }),
    prefixLists: { s3: 'pl-s3', dynamodb: 'pl-dynamodb' },
  });
  const all = Template.fromStack(single).toJSON().Resources as Record<string, Json>;
  const archiveId = single.getLogicalId(built.groups.archiveWorker.node.defaultChild as never);
  const rules = [
    ...((all[archiveId].Properties.SecurityGroupEgress ?? []) as Json[]),
    ...Object.values(all)
      .filter((r) => r.Type === 'AWS::EC2::SecurityGroupEgress')
      .map((r) => r.Properties)
      .filter((p) => p.GroupId['Fn::GetAtt'][0] === archiveId),
  ];
  expect(rules.length).toBeGreaterThanOrEqual(3); // the endpoints and the two prefix lists
  const cidrs = rules.map((r) => r.CidrIp).filter((c) => c !== undefined);
  expect(cidrs).toEqual([]);
});

test('no family group admits anything', () => {
  for (const group of Object.values(functionGroups.groups)) {
    expect(resources[idOf(group)].Properties.SecurityGroupIngress).toBeUndefined();
    const ingress = Object.values(resources).filter(
      (r) =>
        r.Type === 'AWS::EC2::SecurityGroupIngress' &&
        JSON.stringify(r.Properties.GroupId) === JSON.stringify(ref(group)),
    );
    expect(ingress).toEqual([]);
  }
});

test('the database admits exactly the database families, on 5432 only', () => {
  const admitted = Object.values(resources)
    .filter(
      (r) =>
        r.Type === 'AWS::EC2::SecurityGroupIngress' &&
        JSON.stringify(r.Properties.GroupId) === JSON.stringify(DATABASE),
    )
    .map((r) => {
      expect([r.Properties.FromPort, r.Properties.ToPort]).toEqual([5432, 5432]);
      return r.Properties.SourceSecurityGroupId['Fn::GetAtt'][0];
    })
    .sort();
  const families: FunctionFamily[] = ['archiveWorker', 'databaseBootstrap', 'secretRotation'];
  expect(admitted).toEqual(families.map((f) => idOf(functionGroups.groups[f])).sort());
});

test('every public (0.0.0.0/0) rule says why in its description', () => {
  const why: [FunctionFamily, RegExp][] = [
    ['adminUserApi', /^HTTPS through the NAT gateway: Cognito user pools/],
    ['purgeWorker', /^HTTPS through the NAT gateway: Cognito user pools/],
    ['archiveWorker', /^HTTPS through the NAT gateway: S3 in ap-southeast-4/],
  ];
  for (const [family, reason] of why) {
    const rule = (
      resources[idOf(functionGroups.groups[family])].Properties.SecurityGroupEgress as Json[]
    ).find((r) => r.CidrIp === '0.0.0.0/0');
    expect(rule?.Description).toMatch(reason);
  }
});
