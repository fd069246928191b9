import { RemovalPolicy } from 'aws-cdk-lib';
import { STATE_DUE_INDEX } from '../../../lambda/shared/tenant-registry/registry-item';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface TenantRegistryProps {
  /** Registry table name (same in every region). */
  readonly tableName: string;
  /** Append-only audit table name (same in every region). */
  readonly auditTableName: string;
  /** Key of this region's tables. */
  readonly key: kms.IKey;
  /** Replica regions and the key alias ARN each replica is encrypted with. @default none */
  readonly replicas?: readonly { region: string; keyArn: string }[];
}

/**
 * The tenant registry (one item per tenant, its lifecycle state and dates) and its append-only
 * audit trail: DynamoDB global tables in the primary region with replicas, PITR on every replica,
 * deletion protection, the database key. The audit table's resource policy denies changing or
 * deleting any record, to everyone.
 */
export class TenantRegistry extends Construct {
  readonly table: dynamodb.TableV2;
  readonly auditTable: dynamodb.TableV2;

  constructor(scope: Construct, id: string, props: TenantRegistryProps) {
    super(scope, id);
    const replicaKeys = Object.fromEntries((props.replicas ?? []).map((r) => [r.region, r.keyArn]));
    const common = {
      billing: dynamodb.Billing.onDemand(),
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(props.key, replicaKeys),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    };

    this.table = new dynamodb.TableV2(this, 'Table', {
      ...common,
      tableName: props.tableName,
      partitionKey: { name: 'tenantId', type: dynamodb.AttributeType.STRING },
      globalSecondaryIndexes: [
        {
          indexName: STATE_DUE_INDEX,
          partitionKey: { name: 'lifecycleState', type: dynamodb.AttributeType.STRING },
          sortKey: { name: 'dueAt', type: dynamodb.AttributeType.STRING },
        },
      ],
      replicas: (props.replicas ?? []).map((r) => ({ region: r.region })),
    });

    const appendOnly = new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({
          sid: 'AuditRecordsAreAppendOnly',
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:DeleteTable'],
          resources: ['*'],
        }),
      ],
    });
    this.auditTable = new dynamodb.TableV2(this, 'AuditTable', {
      ...common,
      tableName: props.auditTableName,
      partitionKey: { name: 'tenantId', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'version', type: dynamodb.AttributeType.NUMBER },
      resourcePolicy: appendOnly,
      replicas: (props.replicas ?? []).map((r) => ({
        region: r.region,
        resourcePolicy: appendOnly,
      })),
    });
  }
}
