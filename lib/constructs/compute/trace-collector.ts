import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeWhile, onlyActionsOn } from '../../compliance/acknowledge';

/** How a service is traced (see `PlatformServiceProps.tracing`). */
export interface ServiceTracing {
  /**
   * Share of requests traced when the caller sent no sampling decision, from 0 to 1 (a caller's
   * sampled X-Ray trace is always continued). @default 0.05 (X-Ray's default rule)
   */
  readonly sampleRatio?: number;
}

export interface TraceCollectorProps {
  readonly taskDefinition: ecs.FargateTaskDefinition;
  /** The task role: it alone gets the X-Ray write permissions. */
  readonly taskRole: iam.IRole;
  /** Name of the collector's own log group. */
  readonly logGroupName: string;
  readonly logsKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
}

/** Where the image and configuration of the collector live (`collector.yaml`). */
export const TRACE_COLLECTOR_DIRECTORY = join(__dirname, 'trace-collector');

/**
 * The trace collector sidecar of a service's task: the AWS Distro for OpenTelemetry collector,
 * receiving OTLP/HTTP on the task's loopback (127.0.0.1:4318) and sending to AWS X-Ray, with
 * - the task role allowed `xray:PutTraceSegments` and `xray:PutTelemetryRecords` only, in a
 *   policy of its own;
 * - its own KMS-encrypted log group with the service's retention;
 * - not essential (a collector failure loses traces, never requests), a health check, 64 CPU
 *   units and 128 MiB, a read-only root filesystem, a non-root user, no Linux capability;
 * - `TraceCollector.environment`: what the service's container reads to export to it.
 */
export class TraceCollector extends Construct {
  /** Memory (MiB) the collector container reserves out of the task's. */
  static readonly MEMORY_MIB = 128;
  /** CPU units the collector container reserves out of the task's. */
  static readonly CPU_UNITS = 64;

  readonly container: ecs.ContainerDefinition;
  readonly logGroup: logs.LogGroup;
  readonly policy: iam.Policy;

  /**
   * The tracing settings of the service's container, read by its OpenTelemetry SDK: the
   * collector's OTLP/HTTP address, the service's name in its traces, the sample ratio.
   */
  static environment(serviceId: string, tracing: ServiceTracing): Record<string, string> {
    const sampleRatio = tracing.sampleRatio ?? 0.05;
    if (!(sampleRatio >= 0 && sampleRatio <= 1)) {
      throw new Error(
        `PlatformService ${serviceId}: tracing.sampleRatio ${sampleRatio} is not a share of ` +
          'requests; set a number from 0 to 1 (0.05 traces one request in twenty)',
      );
    }
    return {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      OTEL_SERVICE_NAME: serviceId.toLowerCase(),
      OTEL_TRACES_SAMPLER_ARG: String(sampleRatio),
    };
  }

  constructor(scope: Construct, id: string, props: TraceCollectorProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: props.logGroupName,
      encryptionKey: props.logsKey,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.policy = new iam.Policy(this, 'Policy', {
      roles: [props.taskRole],
      statements: [
        new iam.PolicyStatement({
          actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
          resources: ['*'],
        }),
      ],
    });
    this.container = props.taskDefinition.addContainer('TraceCollector', {
      image: ecs.ContainerImage.fromAsset(TRACE_COLLECTOR_DIRECTORY),
      essential: false,
      readonlyRootFilesystem: true,
      privileged: false,
      // The image's own unprivileged user (aoc).
      user: '10001:10001',
      cpu: TraceCollector.CPU_UNITS,
      memoryLimitMiB: TraceCollector.MEMORY_MIB,
      linuxParameters: new ecs.LinuxParameters(this, 'LinuxParameters'),
      healthCheck: {
        command: ['CMD', '/healthcheck'],
        interval: Duration.seconds(30),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(10),
      },
      logging: ecs.LogDrivers.awsLogs({
        logGroup: this.logGroup,
        streamPrefix: 'trace-collector',
        mode: ecs.AwsLogDriverMode.NON_BLOCKING,
      }),
    });
    this.container.linuxParameters?.dropCapabilities(ecs.Capability.ALL);

    // Narrowed: another action on * added to this policy later opens the finding again.
    acknowledgeWhile(
      this.policy,
      'AwsSolutions',
      'AwsSolutions-IAM5[Resource::*]',
      'xray:PutTraceSegments and xray:PutTelemetryRecords have no resource-level permissions; the ' +
        "policy grants these two actions only, to this service's task role only.",
      onlyActionsOn('*', ['xray:PutTraceSegments', 'xray:PutTelemetryRecords']),
    );
    acknowledge(
      this.policy,
      'NIST.800.53.R5',
      'NIST.800.53.R5-IAMNoInlinePolicy',
      "Inline policy of this service's own task role holding its two X-Ray write actions only; it " +
        'cannot be attached to anything else and is removed with the role.',
    );
  }
}
