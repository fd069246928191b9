import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { STATE_DUE_INDEX } from '../../../lambda/shared/tenant-registry/registry-item';
import { grantKeyThrough } from '../core/key-use';

/** The tenant registry as the lifecycle functions see it. */
export interface LifecycleRegistry {
  /** One item per tenant: state, dates, version. */
  readonly table: dynamodb.ITableV2;
  /** Append-only audit trail. */
  readonly auditTable: dynamodb.ITableV2;
  /** Key of both tables. */
  readonly key: kms.IKey;
}

/** What every lifecycle function needs besides its own settings. */
export interface LifecycleFunctionsCommon {
  /** The registry and its audit trail. */
  readonly registry: LifecycleRegistry;
  /** Key of the functions' log groups. */
  readonly logsKey: kms.IKey;
  /** Retention of the functions' logs. */
  readonly logRetention: logs.RetentionDays;
  /** VPC compute subnets the functions run in. */
  readonly vpc: ec2.IVpc;
  /** Security group of the platform's functions. */
  readonly securityGroup: ec2.ISecurityGroup;
}

/** Encrypt and decrypt with `key`, spelled out (no wildcard actions). */
export const KEY_ENCRYPT_DECRYPT = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'];

/** Exactly the registry actions a handler uses; no Scan, no DeleteItem anywhere. */
export interface RegistryGrant {
  /** GetItem on the registry. */
  readonly read?: boolean;
  /** UpdateItem on the registry and PutItem on the audit table (one transaction). */
  readonly transition?: boolean;
  /** Query on the `state-due` index only. */
  readonly queryDue?: boolean;
}

/** Adds the statements of `grant` to `role`, each on the one table or index it concerns. */
export function grantRegistry(
  role: iam.IRole,
  registry: LifecycleRegistry,
  grant: RegistryGrant,
): void {
  const registryActions = [
    ...(grant.read ? ['dynamodb:GetItem'] : []),
    ...(grant.transition ? ['dynamodb:UpdateItem'] : []),
  ];
  if (registryActions.length > 0) {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'Registry',
        actions: registryActions,
        resources: [registry.table.tableArn],
      }),
    );
  }
  if (grant.queryDue) {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'RegistryDueIndex',
        actions: ['dynamodb:Query'],
        resources: [`${registry.table.tableArn}/index/${STATE_DUE_INDEX}`],
      }),
    );
  }
  if (grant.transition) {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'AuditAppend',
        actions: ['dynamodb:PutItem'],
        resources: [registry.auditTable.tableArn],
      }),
    );
    grantKeyThrough(registry.key, role, 'dynamodb', KEY_ENCRYPT_DECRYPT);
  } else {
    grantKeyThrough(registry.key, role, 'dynamodb', ['kms:Decrypt']);
  }
}
