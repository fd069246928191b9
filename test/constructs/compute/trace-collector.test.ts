import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import {
  TRACE_COLLECTOR_DIRECTORY,
  TraceCollector,
} from '../../../lib/constructs/compute/trace-collector';
import { bareStack } from '../../support/bare-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CONFIG = readFileSync(join(TRACE_COLLECTOR_DIRECTORY, 'collector.yaml'), 'utf8');

const stack = bareStack();
const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Task', {
  cpu: 256,
  memoryLimitMiB: 512,
});
// The service's own container (PlatformService adds it): the task's one essential container.
taskDefinition.addContainer('App', {
  image: ecs.ContainerImage.fromRegistry('app:1'),
  memoryLimitMiB: 512 - TraceCollector.MEMORY_MIB,
});
const collector = new TraceCollector(stack, 'TraceCollector', {
  taskDefinition,
  taskRole: taskDefinition.taskRole,
  logGroupName: '/orders/trace-collector',
  logsKey: new kms.Key(stack, 'LogsKey'),
  logRetention: logs.RetentionDays.ONE_YEAR,
});
const template = Template.fromStack(stack);
const resources = template.toJSON().Resources as Record<string, Json>;
const idOf = (construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as never);
const container = (resources[idOf(taskDefinition)].Properties.ContainerDefinitions as Json[]).find(
  (c) => c.Name === 'TraceCollector',
)!;

describe('permissions', () => {
  const policies = Object.entries(template.findResources('AWS::IAM::Policy'));
  const roleRefs = (p: Json) => (p.Properties.Roles as Json[]).map((r) => r.Ref as string);
  const actionsOf = (p: Json) =>
    (p.Properties.PolicyDocument.Statement as Json[]).flatMap((s) => [s.Action].flat());

  test('the task role may write traces, in a policy of its own with exactly the two X-Ray actions', () => {
    const policy = resources[idOf(collector.policy)];
    expect(roleRefs(policy)).toEqual([idOf(taskDefinition.taskRole as iam.Role)]);
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'],
        Resource: '*',
      },
    ]);
  });

  test('no role but the task role gets an X-Ray action, and it gets nothing else from the collector', () => {
    const taskRole = idOf(taskDefinition.taskRole as iam.Role);
    const xray = policies.filter(([, p]) => actionsOf(p).some((a) => /^xray:/.test(a)));
    expect([...new Set(xray.flatMap(([, p]) => roleRefs(p)))]).toEqual([taskRole]);
    const onTaskRole = policies.filter(([, p]) => roleRefs(p).includes(taskRole));
    expect(onTaskRole.map(([id]) => id)).toEqual([idOf(collector.policy)]);
  });
});

describe('the sidecar container', () => {
  test('not essential: a collector failure loses traces, never stops the service’s task', () => {
    expect(container.Essential).toBe(false);
  });

  test('bounded at 64 CPU units and 128 MiB, the share PlatformService takes from the task', () => {
    expect(container).toMatchObject({ Cpu: 64, Memory: 128 });
    expect([TraceCollector.CPU_UNITS, TraceCollector.MEMORY_MIB]).toEqual([64, 128]);
  });

  test('read-only root filesystem, a non-root user, unprivileged, every Linux capability dropped', () => {
    expect(container).toMatchObject({ ReadonlyRootFilesystem: true, Privileged: false });
    expect(container.User).toMatch(/^[1-9]\d*:[1-9]\d*$/);
    expect(container.LinuxParameters.Capabilities).toEqual({ Drop: ['ALL'] });
  });

  test('publishes no port: the OTLP receiver is for the task’s own loopback', () => {
    expect(container.PortMappings ?? []).toEqual([]);
  });

  test('health-checked by the image’s /healthcheck, which the config’s health_check extension answers', () => {
    expect(container.HealthCheck).toMatchObject({
      Command: ['CMD', '/healthcheck'],
      Interval: 30,
      Timeout: 5,
      Retries: 3,
    });
    expect(CONFIG).toMatch(/^service:\n(?: {2}.*\n)*? {2}extensions: \[health_check\]$/m);
  });

  test('the collector refuses spans before it reaches its container’s memory limit', () => {
    const limit = Number(/^\s*limit_mib: (\d+)$/m.exec(CONFIG)?.[1]);
    const spike = Number(/^\s*spike_limit_mib: (\d+)$/m.exec(CONFIG)?.[1]);
    expect(limit).toBeGreaterThan(spike);
    expect(limit).toBeLessThan(TraceCollector.MEMORY_MIB);
  });
});

describe('logs', () => {
  test('its own KMS-encrypted log group, with the retention given, kept when the stack goes', () => {
    const group = resources[idOf(collector.logGroup)];
    expect(group.Properties).toEqual({
      LogGroupName: '/orders/trace-collector',
      KmsKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^LogsKey/), 'Arn'] },
      RetentionInDays: 365,
    });
    expect(group.DeletionPolicy).toBe('Retain');
  });

  test('the container logs there, non-blocking so a slow log delivery never stalls it', () => {
    expect(container.LogConfiguration).toEqual({
      LogDriver: 'awslogs',
      Options: {
        'awslogs-group': { Ref: idOf(collector.logGroup) },
        'awslogs-stream-prefix': 'trace-collector',
        'awslogs-region': 'ap-southeast-2',
        mode: 'non-blocking',
      },
    });
  });
});

describe('TraceCollector.environment: what the service’s container exports to', () => {
  test('the collector’s OTLP/HTTP receiver on the loopback, the service’s name, X-Ray’s default 5 %', () => {
    const receiver = /receivers:\n\s+otlp:\n\s+protocols:\n\s+http:\n\s+endpoint: (\S+)/.exec(
      CONFIG,
    )?.[1];
    expect(receiver).toBe('127.0.0.1:4318');
    expect(TraceCollector.environment('Orders', {})).toEqual({
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://${receiver}`,
      OTEL_SERVICE_NAME: 'orders',
      OTEL_TRACES_SAMPLER_ARG: '0.05',
    });
  });

  test('every share from 0 to 1 is accepted as given', () => {
    for (const sampleRatio of [0, 0.5, 1]) {
      expect(TraceCollector.environment('Orders', { sampleRatio }).OTEL_TRACES_SAMPLER_ARG).toBe(
        String(sampleRatio),
      );
    }
  });

  test('a ratio outside 0..1, or not a number, is refused, naming the service and the setting', () => {
    for (const sampleRatio of [-0.01, 1.01, 5, Number.NaN]) {
      expect(() => TraceCollector.environment('Orders', { sampleRatio })).toThrow(
        new RegExp(`^PlatformService Orders: tracing\\.sampleRatio ${sampleRatio} is not a share`),
      );
    }
  });
});
