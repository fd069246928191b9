import { Duration } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { contract } from '../../../lambda/not-implemented/contract';
import { acknowledge } from '../../compliance/acknowledge';
import { functionLogGroup } from '../core/function-log-group';
import { PlatformFunction } from '../core/platform-function';

export { NOT_IMPLEMENTED_BODY } from '../../../lambda/not-implemented/body';

export interface NotImplementedFunctionProps {
  /** Name of the log group. */
  readonly logGroupName: string;
  /** Key of the log group (the stack's logs key). */
  readonly logsKey: kms.IKey;
  /** Retention of the log group. */
  readonly logRetention: logs.RetentionDays;
}

/**
 * The placeholder behind the tenant administration routes until the lifecycle handlers are
 * attached (lambda/not-implemented): answers every request with 501 and a JSON body naming the
 * route. A platform function with an empty contract, outside the VPC, no AWS calls; its role may
 * only write its own log group.
 */
export class NotImplementedFunction extends Construct {
  readonly function: lambda.IFunction;

  constructor(scope: Construct, id: string, props: NotImplementedFunctionProps) {
    super(scope, id);
    // Made here, not by the factory: the named log group keeps its logical id (a new one would
    // collide with the retained group of the same name on the next deployment).
    const logGroup = functionLogGroup(this, 'LogGroup', {
      name: props.logGroupName,
      key: props.logsKey,
      retention: props.logRetention,
    });
    const placeholder = new PlatformFunction(this, 'Handler', {
      contract,
      environment: {},
      description: 'Answers 501 on tenant administration routes until the lifecycle is deployed',
      memorySize: 128,
      timeout: Duration.seconds(3),
      reservedConcurrency: 2,
      invocation: 'api',
      logGroup,
    });
    this.function = placeholder.function;
    const noData =
      'Placeholder that returns a constant 501 response: it reads no data, calls no AWS API and ' +
      'reaches no network resource, and its role may only write its own log group.';
    acknowledge(this.function, 'NIST.800.53.R5', 'NIST.800.53.R5-LambdaInsideVPC', noData);
    acknowledge(this.function, 'cdk-validator-cfnguard', 'lambda_inside_vpc_check', noData);
  }
}
