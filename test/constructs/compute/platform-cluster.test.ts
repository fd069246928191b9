import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { PlatformCluster } from '../../../lib/constructs/compute/platform-cluster';
import { bareStack } from '../../support/bare-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// The name the unhealthy-targets runbook's `aws ecs describe-services --cluster` uses.
const NAME = 'logi-prod-ap-southeast-2-services';

const stack = bareStack();
const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
  vpcId: 'vpc-12345678',
  availabilityZones: ['ap-southeast-2a', 'ap-southeast-2b', 'ap-southeast-2c'],
});
const platform = new PlatformCluster(stack, 'Cluster', { vpc, clusterName: NAME });
const template = Template.fromStack(stack);
const resources = Object.values(template.toJSON().Resources as Record<string, Json>);
const cluster = () => {
  const clusters = Object.values(template.findResources('AWS::ECS::Cluster'));
  expect(clusters).toHaveLength(1);
  return clusters[0].Properties as Json;
};
const associations = () => {
  const all = Object.values(
    template.findResources('AWS::ECS::ClusterCapacityProviderAssociations'),
  );
  expect(all).toHaveLength(1);
  return all[0].Properties as Json;
};

test('the cluster has the physical name it is given (on-call finds it by name)', () => {
  expect(cluster().ClusterName).toBe(NAME);
});

test('Container Insights is on, for per-task CPU, memory and network metrics', () => {
  const settings = cluster().ClusterSettings as { Name: string; Value: string }[];
  const insights = settings.filter((s) => s.Name === 'containerInsights').map((s) => s.Value);
  expect(insights).toHaveLength(1);
  expect(['enabled', 'enhanced']).toContain(insights[0]);
});

test('Fargate only: Fargate capacity providers and no instance capacity to patch', () => {
  expect(associations().CapacityProviders).toContain('FARGATE');
  expect(
    (associations().CapacityProviders as string[]).filter((p) => !/^FARGATE(_SPOT)?$/.test(p)),
  ).toEqual([]);
  const instanceTypes = resources
    .map((r) => r.Type as string)
    .filter((t) => /^AWS::(AutoScaling|EC2|ECS::CapacityProvider$)/.test(t));
  expect(instanceTypes).toEqual([]);
});

test('no default strategy sends a service to Fargate Spot, whose tasks AWS may interrupt', () => {
  expect(JSON.stringify(associations().DefaultCapacityProviderStrategy ?? [])).not.toContain(
    'FARGATE_SPOT',
  );
});

test('the cluster is in the given VPC and makes no network of its own', () => {
  expect(platform.cluster.vpc).toBe(vpc);
  expect(resources.filter((r) => (r.Type as string).startsWith('AWS::EC2::'))).toEqual([]);
});
