import { Duration, Tags } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { join } from 'node:path';
import type { z } from 'zod';
import type { EnvironmentOf, FunctionContract } from '../../../lambda/shared/contract';
import { environmentOf } from '../../../lambda/shared/contract';
import { acknowledge, acknowledgeWhile, onlyActionsOn } from '../../compliance/acknowledge';
import { cachedBundle } from './bundle-cache';
import { functionLogGroup } from './function-log-group';
import { SUBNET_GROUPS } from './subnet-groups';

/** How a function is invoked; it decides whether an asynchronous dead-letter queue applies. */
export type Invocation =
  | 'custom-resource'
  | 'api'
  | 'sqs'
  | 'schedule'
  | 'event'
  | 'cognito-trigger'
  | 'direct';

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

/** Any function's contract. */
export type AnyContract = FunctionContract<z.ZodRawShape, string>;

/** The one runtime of every platform function, and the esbuild target that matches it. */
export const PLATFORM_RUNTIME = lambda.Runtime.NODEJS_22_X;
/** The one architecture of every platform function. */
export const PLATFORM_ARCHITECTURE = lambda.Architecture.ARM_64;
const ESBUILD_TARGET = 'node22';

/**
 * Variables the factory sets on every function, whatever its contract: stack traces of the
 * minified bundles map back to the TypeScript sources (see `bundling`).
 */
export const FACTORY_ENVIRONMENT = { NODE_OPTIONS: '--enable-source-maps' } as const;

/**
 * The tag naming a function's contract (`lambda/<value>/contract.ts`); the contract test maps
 * each synthesized function to its contract by it.
 */
export const CONTRACT_TAG = 'FunctionContract';

interface PlatformFunctionCommonProps<C extends AnyContract> {
  /** The function's contract; its folder `lambda/<contract.name>/` has the `index.ts` exporting `handler`. */
  readonly contract: C;
  /** The settings the contract names (a missing or misspelt one is a type error). */
  readonly environment: EnvironmentOf<C>;
  /** What the function does. */
  readonly description: string;
  /** The VPC to run in (compute subnets). @default not in a VPC */
  readonly vpc?: ec2.IVpc;
  /** The security group in the VPC. @default none */
  readonly securityGroup?: ec2.ISecurityGroup;
  /** @default 1 minute */
  readonly timeout?: Duration;
  /** @default 256 */
  readonly memorySize?: number;
  /** Reserved concurrency; bounds the function's blast radius. @default 5 */
  readonly reservedConcurrency?: number;
  /** How the function is invoked (see `Invocation`). */
  readonly invocation: Invocation;
  /**
   * A role built elsewhere (with its own policy and acknowledgements), used as is.
   * @default a role of its own that may write its log group, plus the grants callers add
   */
  readonly role?: iam.IRole;
  /** Where asynchronous events that failed every retry go. @default none (see `invocation`) */
  readonly deadLetterTopic?: sns.ITopic;
  /** Retries of a failed asynchronous invocation. @default 2 (Lambda's) */
  readonly retryAttempts?: number;
  /**
   * Bundle the AWS SDK (the tested versions) instead of using the runtime's copy.
   * @default false
   */
  readonly bundleAwsSdk?: boolean;
}

/** The function's own log group, made here. */
interface OwnLogGroup {
  /** Key of the function's log group. */
  readonly logsKey: kms.IKey;
  /** Log retention. */
  readonly logRetention: logs.RetentionDays;
  readonly logGroup?: never;
}

/** A log group made by the caller with `functionLogGroup`. */
interface GivenLogGroup {
  /** The function's log group (see `functionLogGroup`). */
  readonly logGroup: logs.ILogGroup;
  readonly logsKey?: never;
  readonly logRetention?: never;
}

export type PlatformFunctionProps<C extends AnyContract> = PlatformFunctionCommonProps<C> &
  (OwnLogGroup | GivenLogGroup);

/** The EC2 actions Lambda uses to attach a function to a VPC (what AWSLambdaVPCAccessExecutionRole grants besides logs). */
export const VPC_ENI_ACTIONS = [
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
];

export const LAMBDA_ROOT = join(__dirname, '..', '..', '..', 'lambda');

/**
 * What active tracing needs on a function's role (what Lambda's L2 adds to a role it may change;
 * a role given as immutable must carry it itself): X-Ray has no resource-level permissions.
 */
export const XRAY_ACTIONS = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'];

// ---- Bundling: how a function's code is built (kept apart so that a change of the build, such as
// a cache, touches only this block). -------------------------------------------------------------

/**
 * The local esbuild (never Docker), minified, for the platform runtime. Source maps are on, without
 * the sources' text: an error's stack trace in the logs names the TypeScript file and line
 * (NODE_OPTIONS=--enable-source-maps, set in `FACTORY_ENVIRONMENT`) instead of a column of the
 * minified line, and the bundle ships no source. The AWS SDK comes from the runtime unless
 * `bundleAwsSdk`; pg's optional native binding is never used.
 */
function bundling(props: { readonly bundleAwsSdk?: boolean }): nodejs.BundlingOptions {
  return {
    minify: true,
    sourceMap: true,
    sourcesContent: false,
    target: ESBUILD_TARGET,
    externalModules: props.bundleAwsSdk ? ['pg-native'] : ['@aws-sdk/*'],
    forceDockerBundling: false,
  };
}

/**
 * The code, bundled by NodejsFunction's own bundler and reused across synths while its inputs are
 * unchanged (`cachedBundle`: the same esbuild command; the same bytes and asset hash wherever the
 * synth writes, its source map naming its sources from the project root).
 */
function code(
  scope: Construct,
  contract: AnyContract,
  props: { readonly bundleAwsSdk?: boolean },
): Pick<nodejs.NodejsFunctionProps, 'code' | 'handler'> {
  return {
    code: cachedBundle(scope, {
      entry: join(LAMBDA_ROOT, contract.name, 'index.ts'),
      runtime: PLATFORM_RUNTIME,
      architecture: PLATFORM_ARCHITECTURE,
      bundling: bundling(props),
      depsLockFilePath: join(LAMBDA_ROOT, '..', 'package-lock.json'),
    }),
    handler: 'index.handler',
  };
}

// ---- End of bundling. ----------------------------------------------------------------------------

/**
 * Every platform Lambda: built from its contract (`lambda/<name>/`), with the environment its
 * contract demands; Node.js 22 on arm64; structured JSON logs into a KMS-encrypted log group;
 * source-mapped stack traces; active X-Ray tracing (each invocation's segment with its request id,
 * init, duration and error, so a slow or failing request can be found from the request id in the
 * logs); reserved concurrency; and, when given a VPC, the compute subnets and a named security
 * group. A given role must allow `XRAY_ACTIONS` itself when it is immutable.
 */
export class PlatformFunction<C extends AnyContract = AnyContract> extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly logGroup: logs.ILogGroup;
  readonly contract: C;

  constructor(scope: Construct, id: string, props: PlatformFunctionProps<C>) {
    super(scope, id);
    this.contract = props.contract;
    this.logGroup =
      props.logGroup ??
      functionLogGroup(this, 'Logs', { key: props.logsKey, retention: props.logRetention });
    const role = props.role ?? this.createRole(props);
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      ...code(this, props.contract, props),
      role,
      description: props.description,
      runtime: PLATFORM_RUNTIME,
      architecture: PLATFORM_ARCHITECTURE,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.minutes(1),
      reservedConcurrentExecutions: props.reservedConcurrency ?? 5,
      environment: this.environment(props),
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      deadLetterTopic: props.deadLetterTopic,
      retryAttempts: props.retryAttempts,
      vpc: props.vpc,
      vpcSubnets: props.vpc ? { subnetGroupName: SUBNET_GROUPS.private } : undefined,
      securityGroups: props.securityGroup ? [props.securityGroup] : undefined,
    });
    Tags.of(this.function).add(CONTRACT_TAG, props.contract.name, {
      includeResourceTypes: ['AWS::Lambda::Function'],
    });
    this.acknowledgeFunctionFindings(props);
  }

  private environment(props: PlatformFunctionProps<C>): Record<string, string> {
    const own = environmentOf(props.contract, props.environment);
    for (const name of Object.keys(FACTORY_ENVIRONMENT)) {
      if (name in own) {
        throw new Error(
          `${props.contract.name}: ${name} is set by PlatformFunction, not the contract.`,
        );
      }
    }
    return { ...own, ...FACTORY_ENVIRONMENT };
  }

  /**
   * The role: writes only to its own log group (inline, created now so that later grants land in
   * the same policy), and, in a VPC, the network-interface actions Lambda networking needs.
   */
  private createRole(props: PlatformFunctionProps<C>): iam.Role {
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
      // What Lambda needs to attach the function to the VPC, and nothing else: the AWS-managed
      // AWSLambdaVPCAccessExecutionRole would also allow log writes to every log group.
      role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'VpcNetworkInterfaces',
          actions: VPC_ENI_ACTIONS,
          resources: ['*'],
        }),
      );
    }
    // The function's Tracing.ACTIVE adds the X-Ray statement to this policy. Held only while
    // these are the only actions on '*': a later grant on '*' leaves the finding open.
    acknowledgeWhile(
      role.node.findChild('DefaultPolicy'),
      'AwsSolutions',
      'AwsSolutions-IAM5[Resource::*]',
      'Only actions without resource-level permissions: xray:PutTraceSegments and ' +
        'xray:PutTelemetryRecords, which active tracing needs to send the function’s own trace ' +
        'segments' +
        (props.vpc
          ? ', and the network-interface actions Lambda uses to attach the function to the VPC ' +
            '(statement VpcNetworkInterfaces; Lambda creates the interfaces itself)'
          : '') +
        '; log writes stay scoped to the own log group.',
      onlyActionsOn('*', [...XRAY_ACTIONS, ...(props.vpc ? VPC_ENI_ACTIONS : [])]),
    );
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

  private acknowledgeFunctionFindings(props: PlatformFunctionProps<C>): void {
    acknowledge(
      this.function,
      'AwsSolutions',
      'AwsSolutions-L1',
      'Pinned to Node.js 22 (nodejs22.x), the one runtime of every platform function: this ' +
        'construct is the only place a platform function gets its runtime, and the bundles target ' +
        'it (esbuild node22); moving to a newer runtime is a tested change made here, not an ' +
        'implicit one.',
    );
    if (!props.deadLetterTopic) {
      acknowledge(
        this.function,
        'NIST.800.53.R5',
        'NIST.800.53.R5-LambdaDLQ',
        WHY_NO_DLQ[props.invocation],
      );
    }
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
