import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { PlatformServiceProps } from '../../../lib/constructs/compute/platform-service';
import { PlatformService } from '../../../lib/constructs/compute/platform-service';
import { TRACE_COLLECTOR_DIRECTORY } from '../../../lib/constructs/compute/trace-collector';
import { SUBNET_GROUPS } from '../../../lib/constructs/core/subnet-groups';
import { tracingSettings } from '../../../services/documents/src/tracing';
import { testApp } from '../../support/app';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const IMAGE_DIRECTORY = join(__dirname, '..', '..', '..', 'services', 'documents');
const ZONES = ['ap-southeast-2a', 'ap-southeast-2b', 'ap-southeast-2c'];

/** A bare stack with a three-AZ VPC of the platform's subnet groups, a listener and a database. */
function fixture(
  overrides: Partial<PlatformServiceProps> = {},
  capacity: { desiredCount?: number; maxCount?: number } = {},
) {
  const stack = new Stack(testApp(), 'Bare', {
    env: { account: '111111111111', region: 'ap-southeast-2' },
  });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    availabilityZones: ZONES,
    natGateways: 1,
    subnetConfiguration: [
      { name: SUBNET_GROUPS.public, subnetType: ec2.SubnetType.PUBLIC },
      { name: SUBNET_GROUPS.private, subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      { name: SUBNET_GROUPS.isolated, subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  const lbSg = new ec2.SecurityGroup(stack, 'LbSg', { vpc, allowAllOutbound: false });
  const listener = elbv2.ApplicationListener.fromApplicationListenerAttributes(stack, 'Listener', {
    listenerArn:
      'arn:aws:elasticloadbalancing:ap-southeast-2:111111111111:listener/app/public/0123456789abcdef/fedcba9876543210',
    securityGroup: lbSg,
  });
  const endpointSg = new ec2.SecurityGroup(stack, 'EndpointSg', { vpc, allowAllOutbound: false });
  const databaseSg = new ec2.SecurityGroup(stack, 'DatabaseSg', { vpc, allowAllOutbound: false });
  const service = new PlatformService(stack, 'Orders', {
    cluster,
    imageDirectory: IMAGE_DIRECTORY,
    capacity: { cpu: 256, memoryMiB: 512, desiredCount: 3, maxCount: 9, ...capacity },
    requireTaskPerAz: true,
    route: {
      listener,
      loadBalancerFullName: 'app/public/0123456789abcdef',
      priority: 10,
      pathPatterns: ['/orders/*'],
    },
    egress: {
      endpointSecurityGroups: [endpointSg],
      endpointPrefixLists: { 'pl-12345678': 'S3', 'pl-87654321': 'DynamoDB' },
      publicHttps: 'the tenant pool keys (Cognito JWKS), which have no VPC endpoint',
      database: { securityGroup: databaseSg, port: 5432 },
    },
    logGroupName: '/orders',
    logsKey: new kms.Key(stack, 'LogsKey'),
    logRetention: logs.RetentionDays.ONE_YEAR,
    ...overrides,
  });
  const template = Template.fromStack(stack);
  const idOf = (construct: { node: { defaultChild?: unknown } }) =>
    stack.getLogicalId(construct.node.defaultChild as ec2.CfnSecurityGroup);
  return {
    stack,
    service,
    template,
    ids: {
      service: idOf(service.securityGroup),
      lb: idOf(lbSg),
      endpoint: idOf(endpointSg),
      database: idOf(databaseSg),
    },
  };
}

let built: ReturnType<typeof fixture>;
beforeAll(() => {
  built = fixture();
});

const taskDefinition = () =>
  Object.values(built.template.findResources('AWS::ECS::TaskDefinition'))[0].Properties as Json;
const container = () => taskDefinition().ContainerDefinitions[0] as Json;
const collector = () =>
  (taskDefinition().ContainerDefinitions as Json[]).find((c) => c.Name === 'TraceCollector')!;

describe('placement across three AZs', () => {
  test('the service runs in the three compute subnets, no public IP, rebalanced across AZs', () => {
    const service = Object.values(built.template.findResources('AWS::ECS::Service'))[0]
      .Properties as Json;
    const subnets = service.NetworkConfiguration.AwsvpcConfiguration.Subnets as Json[];
    expect(subnets.map((s) => s.Ref)).toEqual([
      expect.stringMatching(/^VpcComputeSubnet1/),
      expect.stringMatching(/^VpcComputeSubnet2/),
      expect.stringMatching(/^VpcComputeSubnet3/),
    ]);
    expect(service.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp).toBe('DISABLED');
    expect(service.AvailabilityZoneRebalancing).toBe('ENABLED');
    expect(service.DesiredCount).toBe(3);
    expect(service.LaunchType).toBe('FARGATE');
  });

  test('a task per AZ is required where asked: fewer tasks than zones is refused', () => {
    expect(() => fixture({}, { desiredCount: 2 })).toThrow(
      /desiredCount 2 leaves an availability zone without a task.*set it to 3 or more/,
    );
    expect(() => fixture({ requireTaskPerAz: false }, { desiredCount: 1 })).not.toThrow();
  });
});

describe('deployments and health', () => {
  test('circuit breaker with rollback; rolling update keeps every task healthy', () => {
    built.template.hasResourceProperties('AWS::ECS::Service', {
      DeploymentConfiguration: {
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
        MinimumHealthyPercent: 100,
        MaximumPercent: 200,
      },
      HealthCheckGracePeriodSeconds: 60,
    });
  });

  test('container health check runs the service own check', () => {
    expect(container().HealthCheck).toMatchObject({
      Command: ['CMD', 'node', 'dist/healthcheck.js'],
      Interval: 15,
      Retries: 3,
    });
  });

  test('target group checks /health over HTTPS and expects 200', () => {
    built.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Protocol: 'HTTPS',
      Port: 8443,
      TargetType: 'ip',
      HealthCheckPath: '/health',
      HealthCheckProtocol: 'HTTPS',
      Matcher: { HttpCode: '200' },
    });
  });

  test('a listener rule forwards the route to the target group', () => {
    built.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Priority: 10,
      Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/orders/*'] } }],
      Actions: [Match.objectLike({ Type: 'forward' })],
    });
  });

  test('a route without conditions is refused (the listener default stays 404)', () => {
    const listener = built.service.node.findChild('ListenerRule') as elbv2.ApplicationListenerRule;
    expect(listener).toBeDefined();
    expect(() =>
      fixture({
        route: {
          listener: elbv2.ApplicationListener.fromApplicationListenerAttributes(new Stack(), 'L', {
            listenerArn: 'arn',
            securityGroup: undefined as never,
          }),
          loadBalancerFullName: 'app/x/y',
          priority: 1,
        },
      }),
    ).toThrow(/route needs pathPatterns or hostHeaders/);
  });
});

describe('autoscaling', () => {
  test('from the desired count to the maximum, on CPU and on requests per target', () => {
    built.template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 3,
      MaxCapacity: 9,
    });
    built.template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        TargetValue: 60,
      }),
    });
    const policies = Object.values(
      built.template.findResources('AWS::ApplicationAutoScaling::ScalingPolicy'),
    );
    const requests = policies.find(
      (p) =>
        p.Properties.TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification
          .PredefinedMetricType === 'ALBRequestCountPerTarget',
    )!;
    const spec = requests.Properties.TargetTrackingScalingPolicyConfiguration;
    expect(spec.TargetValue).toBe(1000);
    // The label names the load balancer given, then this service's target group.
    expect(JSON.stringify(spec.PredefinedMetricSpecification.ResourceLabel)).toMatch(
      /app\/public\/0123456789abcdef\/.*TargetGroupFullName/,
    );
  });

  test('a maximum below the desired count is refused', () => {
    expect(() => fixture({}, { desiredCount: 3, maxCount: 2 })).toThrow(
      /maxCount 2 is below desiredCount 3/,
    );
  });
});

describe('security groups: in from the load balancer, out to the endpoints and the database', () => {
  test('no all-outbound rule; the egress rules are exactly HTTPS to the endpoints, the JWKS and 5432', () => {
    const { template, ids } = built;
    const inline = (template.toJSON().Resources[ids.service].Properties.SecurityGroupEgress ??
      []) as Json[];
    const separate = Object.values(template.findResources('AWS::EC2::SecurityGroupEgress'))
      .map((r) => r.Properties as Json)
      .filter((r) => JSON.stringify(r.GroupId).includes(ids.service));
    const egress = [...inline, ...separate].map((r) => ({
      to: r.DestinationSecurityGroupId ?? r.DestinationPrefixListId ?? r.CidrIp,
      protocol: r.IpProtocol,
      port: [r.FromPort, r.ToPort],
      description: r.Description,
    }));
    const https = { protocol: 'tcp', port: [443, 443] };
    expect(egress).toHaveLength(5);
    expect(egress).toEqual(
      expect.arrayContaining([
        {
          to: { 'Fn::GetAtt': [ids.endpoint, 'GroupId'] },
          ...https,
          description: 'HTTPS to VPC interface endpoints',
        },
        { to: 'pl-12345678', ...https, description: 'HTTPS to the S3 gateway endpoint' },
        { to: 'pl-87654321', ...https, description: 'HTTPS to the DynamoDB gateway endpoint' },
        {
          to: '0.0.0.0/0',
          ...https,
          description:
            'HTTPS through the NAT gateway: the tenant pool keys (Cognito JWKS), which have no VPC endpoint',
        },
        {
          to: { 'Fn::GetAtt': [ids.database, 'GroupId'] },
          protocol: 'tcp',
          port: [5432, 5432],
          description: expect.stringContaining('Database'),
        },
      ]),
    );
  });

  test('without publicHttps nothing leaves for the internet: no 0.0.0.0/0 rule', () => {
    const { template, ids } = fixture({
      egress: { endpointSecurityGroups: [], endpointPrefixLists: { 'pl-12345678': 'S3' } },
    });
    const rules = [
      ...((template.toJSON().Resources[ids.service].Properties.SecurityGroupEgress ??
        []) as Json[]),
      ...Object.values(template.findResources('AWS::EC2::SecurityGroupEgress'))
        .map((r) => r.Properties as Json)
        .filter((r) => JSON.stringify(r.GroupId).includes(ids.service)),
    ];
    expect(rules.map((r) => r.CidrIp ?? r.DestinationPrefixListId)).toEqual(['pl-12345678']);
  });

  test('the database admits the service on 5432 only', () => {
    built.template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: { 'Fn::GetAtt': [built.ids.database, 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [built.ids.service, 'GroupId'] },
      FromPort: 5432,
      ToPort: 5432,
    });
  });

  test('the tasks admit the load balancer on the container port, and it may reach them', () => {
    const { template, ids } = built;
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: { 'Fn::GetAtt': [ids.service, 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [ids.lb, 'GroupId'] },
      FromPort: 8443,
      ToPort: 8443,
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: { 'Fn::GetAtt': [ids.lb, 'GroupId'] },
      DestinationSecurityGroupId: { 'Fn::GetAtt': [ids.service, 'GroupId'] },
      FromPort: 8443,
    });
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).filter(
      (r) => JSON.stringify(r.Properties.GroupId).includes(ids.service),
    );
    expect(ingress).toHaveLength(1);
  });
});

describe('the task itself', () => {
  test('read-only root filesystem, non-root user, unprivileged, every capability dropped', () => {
    expect(container()).toMatchObject({
      ReadonlyRootFilesystem: true,
      Privileged: false,
      User: '1000:1000',
      LinuxParameters: { Capabilities: { Drop: ['ALL'] }, InitProcessEnabled: true },
      MountPoints: [{ ContainerPath: '/tmp', SourceVolume: 'tmp', ReadOnly: false }],
    });
    expect(taskDefinition()).toMatchObject({ NetworkMode: 'awsvpc', Cpu: '256', Memory: '512' });
    // The task's memory less the trace collector's.
    expect(container().Memory).toBe(512 - 128);
  });

  test('the image is an asset built from the directory (staged at synth)', () => {
    expect(JSON.stringify(container().Image)).toMatch(/cdk-hnb659fds-container-assets/);
  });

  test('logs go to a KMS-encrypted log group with bounded retention', () => {
    built.template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/orders',
      RetentionInDays: 365,
      KmsKeyId: Match.anyValue(),
    });
    expect(container().LogConfiguration).toMatchObject({
      LogDriver: 'awslogs',
      Options: { 'awslogs-stream-prefix': 'orders', mode: 'non-blocking' },
    });
  });

  test('the task role may only write traces; the execution role pulls and logs only', () => {
    const { template, stack, service } = built;
    const taskRoleId = stack.getLogicalId(service.taskRole.node.defaultChild as never);
    const executionRoleId = stack.getLogicalId(service.executionRole.node.defaultChild as never);
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    const actionsOf = (roleId: string) =>
      policies
        .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId))
        .flatMap((p) => p.Properties.PolicyDocument.Statement as Json[])
        .flatMap((s) => [s.Action].flat() as string[]);
    expect(actionsOf(taskRoleId).sort()).toEqual([
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
    expect([...new Set(actionsOf(executionRoleId))].sort()).toEqual(
      [
        'ecr:BatchCheckLayerAvailability',
        'ecr:BatchGetImage',
        'ecr:GetAuthorizationToken',
        'ecr:GetDownloadUrlForLayer',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
      ].sort(),
    );
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'ecs-tasks.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
          }),
        ],
      },
    });
  });
});

describe('tracing (on by default)', () => {
  test('a trace collector sidecar: not essential, health-checked, bounded, hardened, private image', () => {
    expect(taskDefinition().ContainerDefinitions).toHaveLength(2);
    expect(collector()).toMatchObject({
      Essential: false,
      Cpu: 64,
      Memory: 128,
      ReadonlyRootFilesystem: true,
      Privileged: false,
      User: '10001:10001',
      LinuxParameters: { Capabilities: { Drop: ['ALL'] } },
      HealthCheck: { Command: ['CMD', '/healthcheck'], Interval: 30, Retries: 3 },
    });
    // Built from lib/constructs/compute/trace-collector into the bootstrap repository: pulled
    // through the ECR endpoints, like the service's image.
    expect(JSON.stringify(collector().Image)).toMatch(/cdk-hnb659fds-container-assets/);
    expect(collector().PortMappings ?? []).toEqual([]);
  });

  test('the collector logs to its own KMS-encrypted log group with the same retention', () => {
    const groups = built.template.findResources('AWS::Logs::LogGroup', {
      Properties: { LogGroupName: '/orders/trace-collector' },
    });
    const [id] = Object.keys(groups);
    expect(groups[id].Properties).toMatchObject({
      RetentionInDays: 365,
      KmsKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^LogsKey/), 'Arn'] },
    });
    expect(collector().LogConfiguration).toMatchObject({
      LogDriver: 'awslogs',
      Options: {
        'awslogs-group': { Ref: id },
        'awslogs-stream-prefix': 'trace-collector',
        mode: 'non-blocking',
      },
    });
  });

  test('the service container starts after the collector and exports to it on the loopback', () => {
    expect(container().DependsOn).toEqual([
      { ContainerName: 'TraceCollector', Condition: 'START' },
    ]);
    const environment = Object.fromEntries(
      (container().Environment as { Name: string; Value: string }[]).map((e) => [e.Name, e.Value]),
    );
    expect(environment).toMatchObject({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      OTEL_SERVICE_NAME: 'orders',
      OTEL_TRACES_SAMPLER_ARG: '0.05',
    });
    // What the service's SDK reads from it (services/documents/src/tracing.ts).
    expect(tracingSettings(environment)).toEqual({
      endpoint: 'http://127.0.0.1:4318',
      serviceName: 'orders',
      sampleRatio: 0.05,
    });
  });

  test('the task role may write traces and nothing else, in a policy of its own', () => {
    const { template, stack, service } = built;
    const policy = service.traceCollector!.policy;
    const [statement] = template.toJSON().Resources[
      stack.getLogicalId(policy.node.defaultChild as never)
    ].Properties.PolicyDocument.Statement as Json[];
    expect(statement).toEqual({
      Effect: 'Allow',
      Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'],
      Resource: '*',
    });
  });

  test('the collector listens on the loopback only and exports traces to X-Ray only', () => {
    const config = readFileSync(join(TRACE_COLLECTOR_DIRECTORY, 'collector.yaml'), 'utf8');
    const endpoints = [...config.matchAll(/endpoint: (\S+)/g)].map((m) => m[1]);
    expect(endpoints).toEqual(['127.0.0.1:13133', '127.0.0.1:4318']);
    expect(config).toMatch(/exporters: \[awsxray\]/);
    expect(config).not.toMatch(/metrics:\s*\n\s*receivers|logs:\s*\n\s*receivers/);
  });

  test('a sample ratio outside 0..1 is refused, naming the setting', () => {
    expect(() => fixture({ tracing: { sampleRatio: 2 } })).toThrow(
      /Orders: tracing.sampleRatio 2 is not a share of requests; set a number from 0 to 1/,
    );
    const { template } = fixture({ tracing: { sampleRatio: 1 } });
    const task = Object.values(template.findResources('AWS::ECS::TaskDefinition'))[0]
      .Properties as Json;
    expect(JSON.stringify(task.ContainerDefinitions[0].Environment)).toContain(
      '{"Name":"OTEL_TRACES_SAMPLER_ARG","Value":"1"}',
    );
  });

  test('tracing: false: one container with all the memory, no X-Ray permission, no OTEL settings', () => {
    const { template } = fixture({ tracing: false });
    const task = Object.values(template.findResources('AWS::ECS::TaskDefinition'))[0]
      .Properties as Json;
    expect(task.ContainerDefinitions).toHaveLength(1);
    expect(task.ContainerDefinitions[0].Memory).toBe(512);
    expect(task.ContainerDefinitions[0].Environment).toBeUndefined();
    expect(JSON.stringify(template.toJSON())).not.toMatch(/xray:|trace-collector/);
  });
});
