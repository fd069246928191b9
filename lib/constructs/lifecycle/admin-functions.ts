import * as iam from 'aws-cdk-lib/aws-iam';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { contract as deactivateContract } from '../../../lambda/tenant-deactivate/contract';
import { contract as reactivateContract } from '../../../lambda/tenant-reactivate/contract';
import { contract as settingsContract } from '../../../lambda/tenant-settings/contract';
import { contract as statusContract } from '../../../lambda/tenant-status/contract';
import { PlatformFunction } from '../core/platform-function';
import type { LifecycleFunctionsCommon } from './registry-access';
import { grantRegistry } from './registry-access';

export interface AdminFunctionsProps extends LifecycleFunctionsCommon {
  /** `retention.closureGraceDays`: days a deactivated tenant stays live and reactivatable. */
  readonly graceDays: number;
  /** The tenant users' pool, whose tenant groups deactivation disables (and signs out) and reactivation enables. */
  readonly userPool: cognito.IUserPool;
  /**
   * Security group of deactivate and reactivate, which also call Cognito (status and settings
   * use `securityGroup`). @default `securityGroup`
   */
  readonly userAdminSecurityGroup?: ec2.ISecurityGroup;
}

/** The handlers behind the tenant administration API routes, as the Ingress stack takes them. */
export interface AdminHandlers {
  readonly deactivate: lambda.IFunction;
  readonly reactivate: lambda.IFunction;
  readonly status: lambda.IFunction;
  readonly settings: lambda.IFunction;
}

/**
 * The four functions of the admin API: deactivate (registry transition with audit, tenant users
 * disabled), reactivate (the reverse, within the grace period), status (read only) and settings
 * (plan, modules and settings with audit). Each role holds exactly the registry and Cognito
 * actions its handler calls.
 */
export class AdminFunctions extends Construct {
  readonly deactivate: PlatformFunction;
  readonly reactivate: PlatformFunction;
  readonly status: PlatformFunction;
  readonly settings: PlatformFunction;

  constructor(scope: Construct, id: string, props: AdminFunctionsProps) {
    super(scope, id);
    const { registry } = props;
    const common = {
      logsKey: props.logsKey,
      logRetention: props.logRetention,
      vpc: props.vpc,
      securityGroup: props.securityGroup,
    };
    const tables = {
      TABLE_NAME: registry.table.tableName,
      AUDIT_TABLE_NAME: registry.auditTable.tableName,
    };
    const pool = { USER_POOL_ID: props.userPool.userPoolId };

    const userAdmin = {
      ...common,
      securityGroup: props.userAdminSecurityGroup ?? props.securityGroup,
    };
    this.deactivate = new PlatformFunction(this, 'Deactivate', {
      ...userAdmin,
      contract: deactivateContract,
      description: 'Deactivates a tenant: registry state with audit record, tenant users disabled',
      invocation: 'api',
      environment: { ...tables, ...pool, GRACE_DAYS: String(props.graceDays) },
    });
    this.reactivate = new PlatformFunction(this, 'Reactivate', {
      ...userAdmin,
      contract: reactivateContract,
      description: 'Reactivates a deactivated tenant within the grace period, users enabled',
      invocation: 'api',
      environment: { ...tables, ...pool },
    });
    this.status = new PlatformFunction(this, 'Status', {
      ...common,
      contract: statusContract,
      description: "Reports a tenant's lifecycle state and dates",
      invocation: 'api',
      environment: { TABLE_NAME: registry.table.tableName },
    });

    this.settings = new PlatformFunction(this, 'Settings', {
      ...common,
      contract: settingsContract,
      description: "Changes a tenant's plan, modules and settings, with an audit record",
      invocation: 'api',
      environment: tables,
    });

    grantRegistry(this.settings.function.role!, registry, { read: true, transition: true });
    grantRegistry(this.deactivate.function.role!, registry, { read: true, transition: true });
    grantRegistry(this.reactivate.function.role!, registry, { read: true, transition: true });
    grantRegistry(this.status.function.role!, registry, { read: true });
    this.grantUsers(this.deactivate, props.userPool, [
      'cognito-idp:AdminDisableUser',
      'cognito-idp:AdminUserGlobalSignOut',
    ]);
    this.grantUsers(this.reactivate, props.userPool, [
      'cognito-idp:AdminDisableUser',
      'cognito-idp:AdminEnableUser',
    ]);
  }

  /** The functions as the Ingress stack's `adminHandlers` prop takes them. */
  get handlers(): AdminHandlers {
    return {
      deactivate: this.deactivate.function,
      reactivate: this.reactivate.function,
      status: this.status.function,
      settings: this.settings.function,
    };
  }

  private grantUsers(fn: PlatformFunction, pool: cognito.IUserPool, actions: string[]): void {
    fn.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'TenantUsers',
        actions: ['cognito-idp:ListUsersInGroup', ...actions],
        resources: [pool.userPoolArn],
      }),
    );
  }
}
