import { CustomResource, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import type { Migration } from '../../../lambda/db-bootstrap/migrations';
import { readServiceMigrations } from './service-migrations';
import { contract } from '../../../lambda/db-bootstrap/contract';
import {
  BOOTSTRAP_ROLE,
  DATABASE_PORT,
  TENANT_DATABASE,
} from '../../../lambda/shared/database/names';
import { RUNTIME_CA_BUNDLE } from '../../../lambda/shared/database/settings';
import { PlatformFunction } from '../core/platform-function';

export interface DatabaseBootstrapProps {
  /** The primary (or standalone) cluster: its writer is bootstrapped. */
  readonly cluster: rds.DatabaseCluster;
  readonly vpc: ec2.IVpc;
  /** Security group of the function, which the database admits (`functionGroups.databaseBootstrap`). */
  readonly securityGroup: ec2.ISecurityGroup;
  readonly logsKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  /** Key of the master secret. */
  readonly secretKey: kms.IKey;
  /**
   * Bump to re-apply the baseline on the next deployment (e.g. after adding tenant tables).
   * @default '1'
   */
  readonly baselineVersion?: string;
  /**
   * Service migrations the bootstrap applies (once each, recorded) before it protects the tables,
   * in this order; passed as the custom resource's `Migrations`, so a new one reruns the bootstrap.
   * @default every service's, from services/<service>/migrations/ (readServiceMigrations)
   */
  readonly migrations?: readonly Migration[];
}

/**
 * Deploy-time tenant partitioning of the database: a custom resource whose handler (in the VPC,
 * TLS, IAM authentication) applies the baseline SQL (schema, roles without BYPASSRLS, forced
 * row-level security on every table with a tenant_id) and fails the deployment if any tenant
 * table is left unprotected. See lambda/db-bootstrap.
 */
/** The bootstrap function's timeout; CloudFormation waits at most a minute longer for it. */
export const BOOTSTRAP_TIMEOUT = Duration.minutes(5);

export class DatabaseBootstrap extends Construct {
  readonly handler: PlatformFunction;

  constructor(scope: Construct, id: string, props: DatabaseBootstrapProps) {
    super(scope, id);
    const secret = props.cluster.secret;
    if (!secret) throw new Error('DatabaseBootstrap needs the cluster master secret');
    this.handler = new PlatformFunction(this, 'Handler', {
      contract,
      description: 'Applies the tenant-partitioning baseline (RLS) to the database',
      // @aws-sdk/rds-signer (IAM auth tokens) is not part of the runtime's SDK: bundle it.
      bundleAwsSdk: true,
      vpc: props.vpc,
      securityGroup: props.securityGroup,
      logsKey: props.logsKey,
      logRetention: props.logRetention,
      timeout: BOOTSTRAP_TIMEOUT,
      reservedConcurrency: 1,
      invocation: 'custom-resource',
      environment: {
        DB_HOST: props.cluster.clusterEndpoint.hostname,
        DB_PORT: String(DATABASE_PORT),
        DB_NAME: TENANT_DATABASE,
        MASTER_SECRET_ARN: secret.secretArn,
        NODE_EXTRA_CA_CERTS: RUNTIME_CA_BUNDLE,
      },
    });
    props.cluster.grantConnect(this.handler.function, BOOTSTRAP_ROLE);
    // Read the master secret (first deployment only, see lambda/db-bootstrap/apply.ts). Granted in
    // the function's own policy: the key policy in the Security stack delegates to IAM, and
    // writing this role into it would make that stack depend on this one.
    this.handler.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        resources: [secret.secretArn],
      }),
    );
    this.handler.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [props.secretKey.keyArn],
        conditions: {
          StringEquals: {
            'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com`,
          },
        },
      }),
    );

    // The handler answers CloudFormation itself (lambda/shared/cfn-response.ts): no provider
    // framework function is needed. It answers FAILED for a bad environment and before its own
    // timeout; should the function fail before its code runs, CloudFormation waits no longer
    // than the service timeout (not the default hour).
    const resource = new CustomResource(this, 'Baseline', {
      serviceToken: this.handler.function.functionArn,
      serviceTimeout: BOOTSTRAP_TIMEOUT.plus(Duration.minutes(1)),
      resourceType: 'Custom::TenantPartitioningBaseline',
      properties: {
        Endpoint: props.cluster.clusterEndpoint.hostname,
        BaselineVersion: props.baselineVersion ?? '1',
        Migrations: (props.migrations ?? readServiceMigrations()).map((m) => ({
          Service: m.service,
          Name: m.name,
          Sql: m.sql,
          Sha256: m.sha256,
        })),
      },
    });
    resource.node.addDependency(props.cluster);
  }
}
