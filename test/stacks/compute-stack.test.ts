import { Template } from 'aws-cdk-lib/assertions';
import { snapshotTests } from '../support/stack-snapshots';
import { environmentRegions, loadConfig } from '../../lib/config';
import type { RegionStacks } from '../../lib/platform';
import { buildPlatform, stacksOf } from '../../lib/platform';
import { ownsRegistrySettings } from '../../lib/stacks/compute-stack';
import { testApp } from '../support/app';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let built: RegionStacks[];
beforeAll(() => {
  built = buildPlatform(testApp(), loadConfig(), { validate: false, environments: ['prod'] });
});
const region = (role: 'primary' | 'secondary') => built.find((b) => b.target.role === role)!;

test('every region of the environment has its Compute stack, in stacksOf and tagged', () => {
  for (const b of built) {
    expect(b.compute.stackName).toBe(
      `prod-${b.target.region === 'ap-southeast-2' ? 'apse2' : 'apse4'}-Compute`,
    );
    expect(stacksOf(b)).toContain(b.compute);
    const cluster = Object.values(
      Template.fromStack(b.compute).findResources('AWS::ECS::Cluster'),
    )[0] as Json;
    expect(cluster.Properties.Tags).toEqual(
      expect.arrayContaining([{ Key: 'Environment', Value: 'prod' }]),
    );
  }
});

test('Compute comes after the Network, Ingress and Data stacks it refers to', () => {
  for (const b of built) {
    const after = b.compute.dependencies.map((s) => s.stackName);
    expect(after).toEqual(
      expect.arrayContaining([b.network.stackName, b.ingress.stackName, b.data!.stackName]),
    );
    // Nothing of the region depends on Compute (no reference cycle back from the load balancer),
    // except the Monitoring stack, which shows every stack's alarms and so deploys last.
    for (const other of stacksOf(b).filter((s) => s !== b.compute && s !== b.monitoring)) {
      expect(other.dependencies).not.toContain(b.compute);
    }
  }
});

test('production runs the documents service with a task per AZ, behind the public listener', () => {
  const template = Template.fromStack(region('primary').compute);
  template.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 3 });
  template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
    MinCapacity: 3,
    MaxCapacity: 12,
  });
  const rule = Object.values(
    template.findResources('AWS::ElasticLoadBalancingV2::ListenerRule'),
  )[0] as Json;
  expect(JSON.stringify(rule.Properties.ListenerArn)).toContain('prod-apse2-Ingress');
});

test('the database and the load balancer rules are created in the Compute stack', () => {
  const template = Template.fromStack(region('secondary').compute);
  const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).map((r) =>
    JSON.stringify((r as Json).Properties.GroupId),
  );
  expect(ingress.some((g) => g.includes('prod-apse4-Data'))).toBe(true);
  const egress = Object.values(template.findResources('AWS::EC2::SecurityGroupEgress')).map((r) =>
    JSON.stringify((r as Json).Properties.GroupId),
  );
  expect(egress.some((g) => g.includes('prod-apse4-Ingress'))).toBe(true);
});

test('image scanning is registry-wide, enhanced and continuous', () => {
  Template.fromStack(region('primary').compute).hasResourceProperties(
    'AWS::ECR::RegistryScanningConfiguration',
    {
      ScanType: 'ENHANCED',
      Rules: [
        {
          ScanFrequency: 'CONTINUOUS_SCAN',
          RepositoryFilters: [{ Filter: '*', FilterType: 'WILDCARD' }],
        },
      ],
    },
  );
});

test('registry scanning is created once per account and region, by its first environment', () => {
  const config = loadConfig();
  const shared = structuredClone(config);
  shared.environments.test.account = shared.environments.dev.account;
  const owners = environmentRegions(shared)
    .filter((t) => ownsRegistrySettings(shared, t))
    .map((t) => `${t.envName}/${t.region}`);
  // dev and test share 111111111111 in ap-southeast-2: only dev owns it there.
  expect(owners).toEqual([
    'dev/ap-southeast-2',
    'test/ap-southeast-4',
    'prod/ap-southeast-2',
    'prod/ap-southeast-4',
  ]);
  expect(environmentRegions(config).every((t) => ownsRegistrySettings(config, t))).toBe(true);
});

snapshotTests('Compute');
