import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { acknowledge } from '../../compliance/acknowledge';

/** How a function is invoked; it decides whether an asynchronous dead-letter queue applies. */
export type Invocation =
  'custom-resource' | 'api' | 'sqs' | 'schedule' | 'event' | 'cognito-trigger' | 'direct';

const WHY_NO_DLQ: Record<Invocation, string> = {
  'custom-resource':
    'Invoked by CloudFormation for a custom resource; the handler always answers CloudFormation, ' +
    'so a failure fails the deployment visibly instead of landing in a queue.',
  api:
    'Invoked synchronously by API Gateway; errors return to the caller and raise the Errors ' +
    'alarm, and an asynchronous dead-letter queue would never receive anything.',
  sqs:
    'Fed by an SQS queue whose redrive policy moves failed messages to its own dead-letter ' +
    'queue, which alarms on depth; a function-level DLQ would duplicate it.',
  schedule:
    'Invoked by EventBridge Scheduler, whose target has its own retry policy and dead-letter ' +
    'queue; the function alarms on errors and on a missed run.',
  event:
    'Invoked by an EventBridge rule whose target retries and has its own dead-letter queue; the ' +
    'function alarms on errors.',
  'cognito-trigger':
    'Invoked synchronously by Cognito while it issues a token; an error refuses the token and ' +
    'returns to the signing-in client, so an asynchronous dead-letter queue would never receive ' +
    'anything.',
  direct:
    'Invoked synchronously (RequestResponse) by platform services; the result or error returns ' +
    'to the caller, so an asynchronous dead-letter queue would never receive anything.',
};

export interface PlatformFunctionProps {
  /** Folder under `lambda/` whose `index.ts` exports `handler`. */
  readonly entry: string;
  /** What the function does. */
  readonly description: string;
  /** Environment variables (validated by the handler at init). @default none */
  readonly environment?: Record<string, string>;
  /** The VPC and the security group to run in (compute subnets). @default not in a VPC */
  readonly vpc?: ec2.IVpc;
  readonly securityGroup?: ec2.ISecurityGroup;
  /** Key of the function's log group. */
  readonly logsKey: kms.IKey;
  /** Log retention. */
  readonly logRetention: logs.RetentionDays;
  /** @default 1 minute */
  readonly timeout?: Duration;
  /** @default 256 */
  readonly memorySize?: number;
  /** Reserved concurrency; bounds the function's blast radius. @default 5 */
  readonly reservedConcurrency?: number;
  /** How the function is invoked (see `Invocation`). */
  readonly invocation: Invocation;
}

export const LAMBDA_ROOT = join(__dirname, '..', '..', '..', 'lambda');

/**
 * A platform Lambda: Node.js 22 on arm64, bundled and minified by the local esbuild (never Docker),
 * AWS SDK v3 from the runtime, structured JSON logs into its own KMS-encrypted log group, reserved
 * concurrency, and, when given a VPC, the compute subnets and a named security group.
 */
export class PlatformFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: PlatformFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      encryptionKey: props.logsKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const role = this.createRole(props);
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      role,
      entry: join(LAMBDA_ROOT, props.entry, 'index.ts'),
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.minutes(1),
      reservedConcurrentExecutions: props.reservedConcurrency ?? 5,
      environment: props.environment,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      vpc: props.vpc,
      vpcSubnets: props.vpc ? { subnetGroupName: 'Compute' } : undefined,
      securityGroups: props.securityGroup ? [props.securityGroup] : undefined,
      bundling: {
        minify: true,
        sourceMap: false,
        target: 'node22',
        externalModules: ['@aws-sdk/*'],
        forceDockerBundling: false,
      },
    });
    this.acknowledgeFunctionFindings(props);
  }

  /**
   * The role: writes only to its own log group (inline, created now so that later grants land in
   * the same policy), and, in a VPC, the AWS-managed ENI permissions Lambda networking needs.
   */
  private createRole(props: PlatformFunctionProps): iam.Role {
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: props.description,
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    if (props.vpc) {
      role.addManagedPolicy(
        iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaVPCAccessExecutionRole'),
      );
      acknowledge(
        role,
        'AwsSolutions',
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
        'AWS-maintained policy with only the network-interface and log permissions that Lambda ' +
          'needs to run in the VPC; ENI actions cannot be scoped to resources, and the role can be ' +
          'assumed by Lambda alone.',
      );
    }
    acknowledge(
      role.node.findChild('DefaultPolicy'),
      'NIST.800.53.R5',
      'NIST.800.53.R5-IAMNoInlinePolicy',
      "Inline policy of this function's own role, written by grant methods with each statement " +
        'naming the resources it may touch; it cannot be attached to anything else and is removed ' +
        'with the role.',
    );
    return role;
  }

  private acknowledgeFunctionFindings(props: PlatformFunctionProps): void {
    acknowledge(
      this.function,
      'AwsSolutions',
      'AwsSolutions-L1',
      'Pinned to Node.js 22, the platform runtime the bundles target (esbuild target node22); ' +
        'moving to a newer runtime is a tested change made in this construct, not an implicit one.',
    );
    acknowledge(
      this.function,
      'NIST.800.53.R5',
      'NIST.800.53.R5-LambdaDLQ',
      WHY_NO_DLQ[props.invocation],
    );
    if (props.vpc) {
      acknowledge(
        this.function,
        'cdk-validator-cfnguard',
        'lambda_inside_vpc_check',
        'The function runs in the VPC compute subnets with a named security group; their ids come ' +
          "from the region's Network stack by a cross-stack reference, which this template-only " +
          'rule cannot resolve.',
      );
    }
  }
}
