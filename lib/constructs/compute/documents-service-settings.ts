import { ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { acknowledge, acknowledgeWhile, onlyActionsOn } from '../../compliance/acknowledge';
import type { PlatformService } from './platform-service';
import { grantKeyThrough } from '../core/key-use';

/** What the documents service is configured with (services/documents/src/config.ts). */
export interface DocumentsServiceTargets {
  /** The tenant pool's issuer URL and its app client ids. */
  readonly tokenIssuer: string;
  readonly clientIds: readonly string[];
  /** The tenant registry (global table name) and its key in this region. */
  readonly registryTable: string;
  readonly registryKey: kms.IKey;
  /** The region's cluster: endpoint host, resource id (for rds-db:connect), database, user. */
  readonly database: {
    readonly host: string;
    readonly resourceId: string;
    readonly name: string;
    readonly user: string;
  };
  /** The file bucket (by name). */
  readonly filesBucket: string;
  /**
   * The token-vending function (lambda/tenant-credentials) the service invokes with the caller's
   * token for a tenant session: by name (the service's configuration) and ARN (its grant).
   */
  readonly credentialsFunction: { readonly functionName: string; readonly functionArn: string };
}

/**
 * The environment of the documents service's container (every variable of its config; none is
 * secret) and its task role's permissions, each on the one resource it concerns: read one
 * registry item (GetItem, kms:Decrypt), connect as its database user with IAM, read the scan tags
 * of tenant files, and invoke the token-vending function (never assume the tenant session role
 * itself: the function tags the session with the tenant of the token it verified).
 */
export function documentsServiceEnvironment(
  targets: DocumentsServiceTargets,
): Record<string, string> {
  return {
    TOKEN_ISSUER: targets.tokenIssuer,
    TOKEN_CLIENT_IDS: targets.clientIds.join(','),
    REGISTRY_TABLE: targets.registryTable,
    DB_HOST: targets.database.host,
    DB_NAME: targets.database.name,
    DB_USER: targets.database.user,
    FILES_BUCKET: targets.filesBucket,
    TENANT_CREDENTIALS_FUNCTION: targets.credentialsFunction.functionName,
  };
}

export function grantDocumentsService(
  service: PlatformService,
  targets: DocumentsServiceTargets,
): void {
  const stack = Stack.of(service);
  const role = service.taskRole;
  const statements = [
    new iam.PolicyStatement({
      sid: 'RegistryRead',
      actions: ['dynamodb:GetItem'],
      resources: [
        stack.formatArn({
          service: 'dynamodb',
          resource: 'table',
          resourceName: targets.registryTable,
        }),
      ],
    }),
    new iam.PolicyStatement({
      sid: 'DatabaseConnect',
      actions: ['rds-db:connect'],
      resources: [
        stack.formatArn({
          service: 'rds-db',
          resource: 'dbuser',
          resourceName: `${targets.database.resourceId}/${targets.database.user}`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
    }),
    new iam.PolicyStatement({
      sid: 'ScanTags',
      actions: ['s3:GetObjectTagging'],
      resources: [`arn:${stack.partition}:s3:::${targets.filesBucket}/tenants/*`],
    }),
    new iam.PolicyStatement({
      sid: 'TenantCredentials',
      actions: ['lambda:InvokeFunction'],
      resources: [targets.credentialsFunction.functionArn],
    }),
  ];
  for (const statement of statements) role.addToPrincipalPolicy(statement);
  grantKeyThrough(targets.registryKey, role, 'dynamodb', ['kms:Decrypt']);
  const policy = role.node.findChild('DefaultPolicy');
  // The partition of a stack with an explicit region is a literal ('aws') in the template.
  const partition = Token.isUnresolved(stack.partition) ? '<AWS::Partition>' : stack.partition;
  acknowledgeWhile(
    policy,
    'AwsSolutions',
    `AwsSolutions-IAM5[Resource::arn:${partition}:s3:::${targets.filesBucket}/tenants/*]`,
    'Scan tags of tenant files only (s3:GetObjectTagging, no read of the objects): the key comes ' +
      "from the tenant's own row under row-level security, and files are read only through URLs " +
      'signed by the tenant session, whose policy limits it to its own tenants/<tenant>/ prefix.',
    onlyActionsOn(stack.resolve(`arn:${stack.partition}:s3:::${targets.filesBucket}/tenants/*`), [
      's3:GetObjectTagging',
    ]),
  );
  acknowledge(
    policy,
    'NIST.800.53.R5',
    'NIST.800.53.R5-IAMNoInlinePolicy',
    "Inline policy of this service's own task role, one statement per resource it calls; it " +
      'cannot be attached to anything else and is removed with the role.',
  );
}
