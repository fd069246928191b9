import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from '../../compliance/acknowledge';
import { TENANT_SESSION_TAG } from '../../../lambda/shared/identity/claims';
import { contract } from '../../../lambda/tenant-credentials/contract';
import { PlatformFunction } from '../core/platform-function';
import { grantTenantStateRead } from '../core/tenant-state-read';
import type { TenantFileAccess } from './tenant-file-access';

/** What the vending function needs of the tenant users' pool. */
export interface TenantTokenIssuer {
  /** The tenant pool's issuer URL. */
  readonly issuerUrl: string;
  /** The tenant app client ids whose access tokens are accepted. */
  readonly clientIds: readonly string[];
}

export interface TenantSessionProps {
  /** The tenant file access policy the session role carries. */
  readonly fileAccess: TenantFileAccess;
  /** The tenant pool whose verified tokens name the tenant. */
  readonly issuer: TenantTokenIssuer;
  /** Name of the tenant registry table (read only: is the tenant ACTIVE?). */
  readonly registryTableName: string;
  /** The key the registry is encrypted with. */
  readonly registryKey: kms.IKey;
  /** Key of the function's log group. */
  readonly logsKey: kms.IKey;
  /** Log retention. */
  readonly logRetention: logs.RetentionDays;
}

/**
 * The tenant session: a role that carries the tenant file access policy, and the platform-owned
 * token-vending function (`lambda/tenant-credentials`) that alone may assume it. The function
 * takes the tenant from a verified tenant-pool access token (never from the request) and tags the
 * session `tenant-id=<tenant>`.
 *
 * The role's trust policy names the function's role as the only principal, for `sts:AssumeRole`
 * and `sts:TagSession` together, and requires exactly one request tag, `tenant-id`, with a value;
 * the file access policy denies the bucket to any session without the tag. Sessions last 15
 * minutes at most past a tenant's deactivation (the function refuses tenants not ACTIVE).
 */
export class TenantSession extends Construct {
  readonly role: iam.Role;
  readonly vending: PlatformFunction;

  constructor(scope: Construct, id: string, props: TenantSessionProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const roleName = `${stack.stackName}-tenant-session`.slice(0, 64);
    this.vending = new PlatformFunction(this, 'Vending', {
      contract,
      description: "Vends tenant session credentials tagged with the verified token's tenant",
      logsKey: props.logsKey,
      logRetention: props.logRetention,
      invocation: 'direct',
      reservedConcurrency: 20,
      environment: {
        ISSUER: props.issuer.issuerUrl,
        CLIENT_IDS: props.issuer.clientIds.join(','),
        // By name: the role's trust policy names this function's role, so the ARN cannot be a
        // reference to the role without ordering the two the other way round.
        TENANT_ROLE_ARN: stack.formatArn({
          service: 'iam',
          region: '',
          resource: 'role',
          resourceName: roleName,
        }),
        TABLE_NAME: props.registryTableName,
      },
    });
    const vendingRole = this.vending.function.role!;
    const tag = `aws:RequestTag/${TENANT_SESSION_TAG}`;
    this.role = new iam.Role(this, 'Role', {
      roleName,
      description: 'Tenant-scoped file access; assumed only by the token-vending function',
      maxSessionDuration: Duration.hours(1),
      assumedBy: new iam.ArnPrincipal(vendingRole.roleArn)
        .withConditions({
          StringLike: { [tag]: '?*' },
          'ForAllValues:StringEquals': { 'aws:TagKeys': [TENANT_SESSION_TAG] },
        })
        .withSessionTags(),
    });
    props.fileAccess.grantTo(this.role);
    vendingRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'AssumeTenantSession',
        actions: ['sts:AssumeRole', 'sts:TagSession'],
        resources: [this.role.roleArn],
      }),
    );
    grantTenantStateRead(vendingRole, props.registryTableName, props.registryKey);
    const outsideVpc =
      'Reaches no resource in a VPC: it fetches the tenant pool public keys (JWKS over TLS), ' +
      'reads one registry item through the regional DynamoDB endpoint and calls STS AssumeRole ' +
      'on the tenant session role only, each allowed by name in its role.';
    const fn = this.vending.function;
    acknowledge(fn, 'NIST.800.53.R5', 'NIST.800.53.R5-LambdaInsideVPC', outsideVpc);
    acknowledge(fn, 'cdk-validator-cfnguard', 'lambda_inside_vpc_check', outsideVpc);
  }
}
