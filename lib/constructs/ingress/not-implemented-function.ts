import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from '../../compliance/acknowledge';

export interface NotImplementedFunctionProps {
  /** Name of the log group. */
  readonly logGroupName: string;
  /** Key of the log group (the stack's logs key). */
  readonly logsKey: kms.IKey;
  /** Retention of the log group. */
  readonly logRetention: logs.RetentionDays;
}

/** The JSON body every placeholder route answers with (status 501). */
export const NOT_IMPLEMENTED_BODY = {
  error: 'NOT_IMPLEMENTED',
  message:
    'tenant administration is not deployed in this environment yet: the lifecycle handlers are ' +
    'not attached to this API',
} as const;

const CODE = `exports.handler = async (event) => ({
  statusCode: 501,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  body: JSON.stringify({ ...${JSON.stringify(NOT_IMPLEMENTED_BODY)}, route: event.routeKey }),
});
`;

/**
 * The placeholder behind the tenant administration routes until the lifecycle handlers are
 * attached: answers every request with 501 and a JSON body naming the route. Inline code (no
 * bundling), no environment, no AWS calls; its role may only write its own log group.
 */
export class NotImplementedFunction extends Construct {
  readonly function: lambda.Function;

  constructor(scope: Construct, id: string, props: NotImplementedFunctionProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: props.logGroupName,
      encryptionKey: props.logsKey,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Placeholder of the tenant administration routes: writes its own logs only',
    });
    role.addManagedPolicy(
      new iam.ManagedPolicy(this, 'LogsPolicy', {
        description: 'Write the placeholder function logs to its one log group',
        statements: [
          new iam.PolicyStatement({
            actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            resources: [logGroup.logGroupArn],
          }),
        ],
      }),
    );
    this.function = new lambda.Function(this, 'Function', {
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromInline(CODE),
      description: 'Answers 501 on tenant administration routes until the lifecycle is deployed',
      memorySize: 128,
      timeout: Duration.seconds(3),
      reservedConcurrentExecutions: 2,
      role: role.withoutPolicyUpdates(),
      logGroup,
    });
    const noData =
      'Placeholder that returns a constant 501 response: it reads no data, calls no AWS API and ' +
      'reaches no network resource, and its role may only write its own log group.';
    acknowledge(this.function, 'NIST.800.53.R5', 'NIST.800.53.R5-LambdaInsideVPC', noData);
    acknowledge(this.function, 'cdk-validator-cfnguard', 'lambda_inside_vpc_check', noData);
    acknowledge(
      this.function,
      'NIST.800.53.R5',
      'NIST.800.53.R5-LambdaDLQ',
      'Invoked only synchronously by API Gateway, which returns any error to the caller: there is ' +
        'no asynchronous event that a dead-letter queue could keep.',
    );
  }
}
