import { RemovalPolicy, Stack } from 'aws-cdk-lib';
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
  /**
   * The only roles that may put audit records (ARNs, `*` allowed in the role name): the lifecycle
   * functions, whose every put carries `attribute_not_exists` (an IAM condition cannot require one).
   */
  readonly auditWriterRoleArns: readonly string[];
  /** ARN of the break-glass role: alone, with the deployment role, may replace the table policy. */
  readonly breakGlassRoleArn: string;
  /** ARN of the CloudFormation execution role, which deploys the table policy. @default none */
  readonly deploymentRoleArn?: string;
}

/** Every way to change or remove an audit record other than putting a new one. */
export const AUDIT_RECORD_CHANGE_ACTIONS = [
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
  'dynamodb:PartiQLInsert',
  'dynamodb:DeleteTable',
] as const;

/**
 * The tenant registry (one item per tenant, its lifecycle state and dates) and its append-only
 * audit trail: DynamoDB global tables in the primary region with replicas, PITR on every replica,
 * deletion protection, the database key. The audit table's resource policy denies, to everyone,
 * every way to change or delete a record (UpdateItem, DeleteItem, BatchWriteItem, PartiQL,
 * DeleteTable); denies PutItem to every principal but the audit writers (an overwriting put cannot
 * be told apart from an append by IAM, so only roles whose code appends with
 * `attribute_not_exists` may put at all); and denies replacing or deleting the policy to all but
 * the break-glass and deployment roles.
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

    const { account, partition } = Stack.of(this);
    // Global-table replication writes replicas through this service-linked role.
    const replication = `arn:${partition}:iam::${account}:role/aws-service-role/replication.dynamodb.amazonaws.com/AWSServiceRoleForDynamoDBReplication`;
    const deny = (sid: string, actions: readonly string[], conditions?: Record<string, unknown>) =>
      new iam.PolicyStatement({
        sid,
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: [...actions],
        resources: ['*'],
        conditions,
      });
    const appendOnly = new iam.PolicyDocument({
      statements: [
        deny('AuditRecordsAreAppendOnly', AUDIT_RECORD_CHANGE_ACTIONS),
        deny('OnlyAuditWritersPut', ['dynamodb:PutItem'], {
          ArnNotLike: { 'aws:PrincipalArn': [...props.auditWriterRoleArns, replication] },
        }),
        deny(
          'DenyPolicyChangesExceptBreakGlassAndDeployment',
          ['dynamodb:PutResourcePolicy', 'dynamodb:DeleteResourcePolicy'],
          {
            ArnNotEquals: {
              'aws:PrincipalArn': [
                props.breakGlassRoleArn,
                ...(props.deploymentRoleArn ? [props.deploymentRoleArn] : []),
              ],
            },
          },
        ),
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
