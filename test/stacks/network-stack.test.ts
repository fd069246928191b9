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

  test('NAT gateways as the environment configures them (one per AZ or a single one)', () => {
    template.resourceCountIs('AWS::EC2::NatGateway', target.env.natGateways === 'perAz' ? 3 : 1);
  });

  test("flow logs go to a log group under the stack's logs key, kept as configured", () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^LogsKey'), 'Arn'] },
      RetentionInDays: target.env.flowLogRetentionDays,
    });
    if (target.env.production) {
      expect(target.env.flowLogRetentionDays).toBeGreaterThanOrEqual(365);
    }
  });

  test('the logs key has its deterministic alias', () => {
    template.hasResourceProperties('AWS::KMS::Alias', {
      AliasName: `alias/${config.app}-${target.envName}-${target.region}-logs-network`,
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
