import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from '../../compliance/acknowledge';
import { contract } from '../../../lambda/tenant-pre-token/contract';
import { PlatformFunction } from '../core/platform-function';
import { grantTenantStateRead } from '../core/tenant-state-read';

export interface TenantClaimTriggerProps {
  /** Name of the tenant registry table (a global table, same name in every region). */
  readonly registryTableName: string;
  /** The key the registry is encrypted with (decrypt through DynamoDB only). */
  readonly registryKey: kms.IKey;
  /** Key of the function's log group. */
  readonly logsKey: kms.IKey;
  /** Log retention. */
  readonly logRetention: logs.RetentionDays;
}

/**
 * The tenant pool's pre-token-generation trigger (`lambda/tenant-pre-token`): reads the tenant's
 * state in the registry (GetItem on the registry table only, which is referred to by name: it
 * lives in the Data stack, deployed after this one) and sets the `tenant_id` claim.
 */
export class TenantClaimTrigger extends Construct {
  readonly function: PlatformFunction;

  constructor(scope: Construct, id: string, props: TenantClaimTriggerProps) {
    super(scope, id);
    this.function = new PlatformFunction(this, 'Function', {
      contract,
      description: "Sets tenant users' tenant_id claim; refuses tokens of tenants not ACTIVE",
      logsKey: props.logsKey,
      logRetention: props.logRetention,
      reservedConcurrency: 20,
      invocation: 'cognito-trigger',
      environment: { TABLE_NAME: props.registryTableName },
    });
    const role = this.function.function.role!;
    grantTenantStateRead(role, props.registryTableName, props.registryKey);
    const outsideVpc =
      'Reaches no resource in a VPC: it only reads one registry item through the regional ' +
      'DynamoDB endpoint (TLS, IAM-signed; the role holds GetItem on the registry table and ' +
      'kms:Decrypt through DynamoDB only), and it is invoked by Cognito alone.';
    const fn = this.function.function;
    acknowledge(fn, 'NIST.800.53.R5', 'NIST.800.53.R5-LambdaInsideVPC', outsideVpc);
    acknowledge(fn, 'cdk-validator-cfnguard', 'lambda_inside_vpc_check', outsideVpc);
  }
}
