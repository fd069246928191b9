import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from '../../compliance/acknowledge';
import { SUBNET_GROUPS } from '../core/subnet-groups';
import { acknowledgeServiceFindings } from './service-acknowledgements';
import type { ServiceTracing } from './trace-collector';
import { TraceCollector } from './trace-collector';

/** Where the service sends requests besides its callers: only these, on their one port each. */
export interface ServiceEgress {
  /** Security groups of interface VPC endpoints the service calls over HTTPS (443). */
  readonly endpointSecurityGroups: readonly ec2.ISecurityGroup[];
  /**
   * AWS-managed prefix lists of gateway endpoints reached over HTTPS (443), with what each is
   * (the rule's description): `{ 'pl-…': 'S3' }`.
   */
  readonly endpointPrefixLists: Readonly<Record<string, string>>;
  /**
   * Why the service calls a public HTTPS endpoint that has no VPC endpoint (e.g. the Cognito
   * JWKS): opens 443 to any address, through the NAT gateway. That rule also covers the AWS APIs at
   * the security-group level; their requests still take the endpoints (private DNS names and
   * gateway routes), and the rules above stay what the service needs without it. @default none
   */
  readonly publicHttps?: string;
  /** The database: its security group and port. @default no database access */
  readonly database?: { readonly securityGroup: ec2.ISecurityGroup; readonly port: number };
}

/** How the service is published on a load balancer's HTTPS listener. */
export interface ServiceRoute {
  /** The HTTPS listener (imported into this stack with its load balancer's security group). */
  readonly listener: elbv2.IApplicationListener;
  /**
   * `loadBalancerFullName` of the listener's load balancer (request-count scaling names it). Given
   * explicitly: derived from an imported listener's ARN it would be a split of another stack's
   * output, which CloudFormation linting rejects (E1022).
   */
  readonly loadBalancerFullName: string;
  /** Rule priority, unique on the listener (1-50000; lower is evaluated first). */
  readonly priority: number;
  /** Path patterns the rule matches, e.g. `['/documents', '/documents/*']`. @default any path */
  readonly pathPatterns?: string[];
  /** Host names the rule matches. @default any host */
  readonly hostHeaders?: string[];
}

/** Task size and count of one environment (see `compute` in the config). */
export interface ServiceCapacity {
  /** Tasks at rest; the autoscaling minimum. */
  readonly desiredCount: number;
  /** Autoscaling maximum. */
  readonly maxCount: number;
  /** Fargate CPU units (256 = 0.25 vCPU). */
  readonly cpu: number;
  /** Task memory (MiB), valid for `cpu`. */
  readonly memoryMiB: number;
}

export interface PlatformServiceProps {
  /** The Fargate cluster. */
  readonly cluster: ecs.ICluster;
  /** Folder with the service's Dockerfile; the image is built and pushed by `cdk deploy`. */
  readonly imageDirectory: string;
  /** Port the container serves HTTPS on. @default 8443 */
  readonly containerPort?: number;
  /** Path answering 200 when the task is healthy. @default '/health' */
  readonly healthCheckPath?: string;
  /**
   * Command of the container health check (exit 0: healthy).
   * @default ['CMD', 'node', 'dist/healthcheck.js']
   */
  readonly healthCheckCommand?: string[];
  /** Size and count of the tasks. */
  readonly capacity: ServiceCapacity;
  /** Tasks run in these subnets, one per AZ. @default the compute subnets */
  readonly subnets?: ec2.SubnetSelection;
  /** Availability zones the tasks must cover. @default 3 */
  readonly availabilityZones?: number;
  /** Refuse a desired count below one task per availability zone (production). */
  readonly requireTaskPerAz: boolean;
  /** Average CPU (%) autoscaling keeps. @default 60 */
  readonly cpuTargetPercent?: number;
  /** Requests per target autoscaling keeps (ALB RequestCountPerTarget per minute). @default 1000 */
  readonly requestsPerTarget?: number;
  /** Publication on the load balancer. */
  readonly route: ServiceRoute;
  /** What the service may call. */
  readonly egress: ServiceEgress;
  /** Name of the log group. */
  readonly logGroupName: string;
  /** Key of the log group; it must allow CloudWatch Logs. */
  readonly logsKey: kms.IKey;
  /** Retention of the log group. */
  readonly logRetention: logs.RetentionDays;
  /** Non-secret settings of the container (ECS2: secrets go through `secrets`). @default none */
  readonly environment?: Record<string, string>;
  /** Secrets injected at start from Secrets Manager or SSM. @default none */
  readonly secrets?: Record<string, ecs.Secret>;
  /**
   * Tracing: a trace collector sidecar sending to AWS X-Ray (see `TraceCollector`) and the
   * `OTEL_*` settings of the service's container; `false` turns it off. @default {} (on)
   */
  readonly tracing?: ServiceTracing | false;
}

const TMP_VOLUME = 'tmp';

/**
 * One container service of the platform on Fargate, behind the public load balancer:
 *
 * - the image built from `imageDirectory` (staged at synth, built and pushed at deploy);
 * - tasks in the compute subnets of three AZs, spread and rebalanced by ECS; at least one task per
 *   AZ in production; autoscaling on CPU and on request count per target;
 * - rolling deployments keep 100% healthy, and the circuit breaker rolls a failing one back;
 * - container health check and target-group health check on `healthCheckPath` over HTTPS;
 * - read-only root filesystem (a task-local `/tmp` volume only), a non-root user, no privileges;
 * - a task role with no permissions (grant what the service needs: `grantX(service.taskRole)`),
 *   an execution role that may pull the image and write the one log group;
 * - its own security group: in only from the load balancer on the container port; out only to
 *   the database port, to HTTPS on the VPC endpoints and, where the service says why, to public
 *   HTTPS through the NAT gateway;
 * - logs in a KMS-encrypted log group with bounded retention;
 * - tracing (unless `tracing: false`): a trace collector sidecar on the task's loopback sending to
 *   AWS X-Ray, the task role allowed only to write traces for it, its own log group.
 */
export class PlatformService extends Construct {
  readonly service: ecs.FargateService;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly container: ecs.ContainerDefinition;
  readonly securityGroup: ec2.SecurityGroup;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly logGroup: logs.LogGroup;
  readonly taskRole: iam.Role;
  readonly executionRole: iam.Role;
  readonly scaling: ecs.ScalableTaskCount;
  /** The trace collector sidecar; undefined with `tracing: false`. */
  readonly traceCollector?: TraceCollector;

  constructor(scope: Construct, id: string, props: PlatformServiceProps) {
    super(scope, id);
    checkCapacity(id, props);
    const port = props.containerPort ?? 8443;
    const healthPath = props.healthCheckPath ?? '/health';
    const vpc = props.cluster.vpc;

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: props.logGroupName,
      encryptionKey: props.logsKey,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.taskRole = new iam.Role(this, 'TaskRole', {
      assumedBy: ecsTasks(scope),
      description: `Task role of the ${id} service: only what it is granted`,
    });
    this.executionRole = new iam.Role(this, 'ExecutionRole', {
      assumedBy: ecsTasks(scope),
      description: `Starts the ${id} tasks: pulls their image and writes their log group`,
    });

    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      cpu: props.capacity.cpu,
      memoryLimitMiB: props.capacity.memoryMiB,
      taskRole: this.taskRole,
      executionRole: this.executionRole,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.X86_64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
      volumes: [{ name: TMP_VOLUME }],
    });
    const tracing = props.tracing === false ? undefined : (props.tracing ?? {});
    const tracingEnvironment = tracing ? TraceCollector.environment(id, tracing) : undefined;
    this.container = this.taskDefinition.addContainer('App', {
      image: ecs.ContainerImage.fromAsset(props.imageDirectory),
      essential: true,
      readonlyRootFilesystem: true,
      privileged: false,
      user: '1000:1000',
      // The task's memory, less the collector's (Fargate: the containers' limits fit the task's).
      memoryLimitMiB: props.capacity.memoryMiB - (tracing ? TraceCollector.MEMORY_MIB : 0),
      portMappings: [{ containerPort: port, protocol: ecs.Protocol.TCP }],
      environment:
        props.environment || tracingEnvironment
          ? { ...props.environment, ...tracingEnvironment }
          : undefined,
      secrets: props.secrets,
      linuxParameters: new ecs.LinuxParameters(this, 'LinuxParameters', {
        initProcessEnabled: true,
      }),
      healthCheck: {
        command: props.healthCheckCommand ?? ['CMD', 'node', 'dist/healthcheck.js'],
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(20),
      },
      logging: ecs.LogDrivers.awsLogs({
        logGroup: this.logGroup,
        streamPrefix: id.toLowerCase(),
        mode: ecs.AwsLogDriverMode.NON_BLOCKING,
      }),
    });
    this.container.addMountPoints({
      containerPath: '/tmp',
      sourceVolume: TMP_VOLUME,
      readOnly: false,
    });
    this.container.linuxParameters?.dropCapabilities(ecs.Capability.ALL);
    if (tracing) {
      this.traceCollector = new TraceCollector(this, 'TraceCollector', {
        taskDefinition: this.taskDefinition,
        taskRole: this.taskRole,
        logGroupName: `${props.logGroupName}/trace-collector`,
        logsKey: props.logsKey,
        logRetention: props.logRetention,
      });
      // Started first, stopped last: the service's last spans (sent on SIGTERM) still arrive.
      this.container.addContainerDependencies({
        container: this.traceCollector.container,
        condition: ecs.ContainerDependencyCondition.START,
      });
      if (!props.environment) {
        acknowledge(
          this.taskDefinition,
          'AwsSolutions',
          'AwsSolutions-ECS2',
          'The environment holds the tracing settings only (the collector on the loopback, the ' +
            'service name, the sample ratio); the service has no secret in it.',
        );
      }
    }

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc,
      description: `Tasks of the ${id} service`,
      allowAllOutbound: false,
    });
    this.allowEgress(props.egress);

    this.service = new ecs.FargateService(this, 'Service', {
      cluster: props.cluster,
      taskDefinition: this.taskDefinition,
      desiredCount: props.capacity.desiredCount,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
      securityGroups: [this.securityGroup],
      vpcSubnets: props.subnets ?? { subnetGroupName: SUBNET_GROUPS.private },
      assignPublicIp: false,
      availabilityZoneRebalancing: ecs.AvailabilityZoneRebalancing.ENABLED,
      healthCheckGracePeriod: Duration.seconds(60),
      platformVersion: ecs.FargatePlatformVersion.LATEST,
    });

    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'TargetGroup', {
      vpc,
      port,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      targetType: elbv2.TargetType.IP,
      deregistrationDelay: Duration.seconds(30),
      healthCheck: {
        path: healthPath,
        protocol: elbv2.Protocol.HTTPS,
        healthyHttpCodes: '200',
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 3,
      },
    });
    this.targetGroup.addTarget(
      this.service.loadBalancerTarget({
        containerName: this.container.containerName,
        containerPort: port,
      }),
    );
    this.addRoute(id, props.route);

    this.scaling = this.service.autoScaleTaskCount({
      minCapacity: props.capacity.desiredCount,
      maxCapacity: props.capacity.maxCount,
    });
    this.scaling.scaleOnCpuUtilization('Cpu', {
      targetUtilizationPercent: props.cpuTargetPercent ?? 60,
    });
    this.scaling.scaleOnRequestCount('Requests', {
      requestsPerTarget: props.requestsPerTarget ?? 1000,
      // The target group as it is, but naming its load balancer by the full name given.
      targetGroup: Object.create(this.targetGroup, {
        firstLoadBalancerFullName: { value: props.route.loadBalancerFullName },
      }) as elbv2.ApplicationTargetGroup,
    });
    // Tags on these two types are newer than the CloudFormation schema of cfn-lint 1.51 (E3002);
    // the service, task definition and target group carry the tags.
    for (const child of this.node.findAll()) {
      if (child instanceof appscaling.CfnScalableTarget || child instanceof elbv2.CfnListenerRule) {
        child.addPropertyDeletionOverride('Tags');
      }
    }

    acknowledgeServiceFindings(this);
  }

  /**
   * HTTPS to the endpoints (and to public HTTPS when `publicHttps` says why), the database port to
   * the database: nothing else leaves the tasks.
   */
  private allowEgress(egress: ServiceEgress): void {
    const https = ec2.Port.tcp(443);
    for (const endpoint of egress.endpointSecurityGroups) {
      this.securityGroup.addEgressRule(endpoint, https, 'HTTPS to VPC interface endpoints');
    }
    for (const [prefixList, name] of Object.entries(egress.endpointPrefixLists)) {
      this.securityGroup.addEgressRule(
        ec2.Peer.prefixList(prefixList),
        https,
        `HTTPS to the ${name} gateway endpoint`,
      );
    }
    if (egress.publicHttps) {
      this.securityGroup.addEgressRule(
        ec2.Peer.anyIpv4(),
        https,
        `HTTPS through the NAT gateway: ${egress.publicHttps}`,
      );
    }
    if (egress.database) {
      // Both rules land in this stack: egress here, the database's ingress as a separate resource.
      this.securityGroup.connections.allowTo(
        egress.database.securityGroup,
        ec2.Port.tcp(egress.database.port),
        'Database',
      );
    }
  }

  /**
   * A rule on the listener forwarding to this service's target group. Forwarding opens the load
   * balancer's egress to the tasks and the tasks' ingress from it, both in this stack.
   */
  private addRoute(id: string, route: ServiceRoute): void {
    const conditions = [
      ...(route.hostHeaders ? [elbv2.ListenerCondition.hostHeaders(route.hostHeaders)] : []),
      ...(route.pathPatterns ? [elbv2.ListenerCondition.pathPatterns(route.pathPatterns)] : []),
    ];
    if (conditions.length === 0) {
      throw new Error(
        `PlatformService ${id}: route needs pathPatterns or hostHeaders; ` +
          'the listener default (404) must stay the answer for unrouted requests',
      );
    }
    new elbv2.ApplicationListenerRule(this, 'ListenerRule', {
      listener: route.listener,
      priority: route.priority,
      conditions,
      action: elbv2.ListenerAction.forward([this.targetGroup]),
    });
  }
}

function ecsTasks(scope: Construct): iam.ServicePrincipal {
  return new iam.ServicePrincipal('ecs-tasks.amazonaws.com', {
    conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } },
  });
}

function checkCapacity(id: string, props: PlatformServiceProps): void {
  const zones = props.availabilityZones ?? 3;
  const { desiredCount, maxCount } = props.capacity;
  if (props.requireTaskPerAz && desiredCount < zones) {
    throw new Error(
      `PlatformService ${id}: desiredCount ${desiredCount} leaves an availability zone without a ` +
        `task; production runs at least one task in each of the ${zones} zones (set it to ${zones} or more)`,
    );
  }
  if (maxCount < desiredCount) {
    throw new Error(
      `PlatformService ${id}: maxCount ${maxCount} is below desiredCount ${desiredCount}; ` +
        'set maxCount to at least desiredCount',
    );
  }
}
