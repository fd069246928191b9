import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface PlatformKeyProps {
  /** Alias, `alias/<app>-<env>-<region>-<purpose>`, so other regions and tools find the key by name. */
  readonly alias: string;
  /** What the key protects, shown in the console. */
  readonly description: string;
  /**
   * Days a scheduled deletion waits before the key is destroyed.
   * @default 30
   */
  readonly pendingWindowDays?: number;
  /**
   * Protect the key from the account's administrators (production data, files, backup and audit
   * keys): deny scheduling its deletion and disabling it to everyone but the break-glass role, and
   * rewriting its policy to everyone but the break-glass role and the deployment role. (Grants
   * other than those AWS services create for a resource are denied on every key, to everyone.)
   * @default unprotected: the account's IAM policies decide
   */
  readonly protection?: KeyProtection;
}

/** Who may still destroy or rewrite a protected key. */
export interface KeyProtection {
  /** ARN of the break-glass role (created by the primary Security stack). */
  readonly breakGlassRoleArn: string;
  /**
   * ARN of the role CloudFormation deploys with (the CDK bootstrap's
   * `cdk-hnb659fds-cfn-exec-role-<account>-<region>`): it alone besides break glass may put the
   * key policy, because every stack update that changes the policy runs PutKeyPolicy as it, and
   * KMS refuses a policy that would lock its own writer out. Whoever can make CloudFormation act as
   * this role can therefore rewrite the policy (and then remove the other denies).
   * @default none: only break glass (key policy changes then need break glass)
   */
  readonly deploymentRoleArn?: string;
}

/** Actions that administer a key (never encrypt or decrypt with it). */
export const KEY_ADMINISTRATION_ACTIONS = [
  'kms:Create*',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:RotateKeyOnDemand',
] as const;

/** Actions that use a key (cryptographic operations and the grants services use it through). */
export const KEY_USE_ACTIONS = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncrypt*',
  'kms:GenerateDataKey*',
  'kms:DescribeKey',
  'kms:CreateGrant',
  'kms:ListGrants',
] as const;

/** What a protected key denies to everyone but break glass. */
export const KEY_DESTRUCTION_ACTIONS = ['kms:ScheduleKeyDeletion', 'kms:DisableKey'] as const;

/**
 * A customer-managed KMS key for one purpose in one environment and region: rotation on, a 30-day
 * deletion window, a deterministic alias, retained when its stack is deleted. Its policy delegates
 * to the account's IAM policies in two statements, key administration and key use, so that neither
 * is granted with the other; grants are added by the consumers (`grantEncryptDecrypt`,
 * `grantCloudWatchLogs`), never with a wildcard principal. With `protection`, the account's
 * administrators can neither destroy, disable nor rewrite it (see `KeyProtection`).
 */
export class PlatformKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: PlatformKeyProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: props.description,
      enableKeyRotation: true,
      pendingWindow: Duration.days(props.pendingWindowDays ?? 30),
      alias: props.alias,
      removalPolicy: RemovalPolicy.RETAIN,
      // Given, so that the CDK adds no `kms:*` statement of its own.
      policy: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({
            sid: 'KeyAdministrationThroughIam',
            principals: [new iam.AccountRootPrincipal()],
            actions: [...KEY_ADMINISTRATION_ACTIONS],
            resources: ['*'],
          }),
          new iam.PolicyStatement({
            sid: 'KeyUseThroughIam',
            principals: [new iam.AccountRootPrincipal()],
            actions: [...KEY_USE_ACTIONS],
            resources: ['*'],
          }),
        ],
      }),
    });
    const protection = props.protection;
    const exceptBreakGlass = protection
      ? { ArnNotEquals: { 'aws:PrincipalArn': protection.breakGlassRoleArn } }
      : {};
    // Grants (long-lived delegated use of the key) only for AWS services acting for a resource,
    // for everyone, break glass included (it revokes grants, it needs to create none).
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyGrantsExceptToAwsServices',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:CreateGrant'],
        resources: ['*'],
        conditions: {
          BoolIfExists: {
            'kms:GrantIsForAWSResource': 'false',
            'aws:PrincipalIsAWSService': 'false',
          },
        },
      }),
    );
    if (protection) {
      this.key.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'DenyKeyDestructionExceptBreakGlass',
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: [...KEY_DESTRUCTION_ACTIONS],
          resources: ['*'],
          conditions: exceptBreakGlass,
        }),
      );
      this.key.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'DenyKeyPolicyChangesExceptBreakGlassAndDeployment',
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['kms:PutKeyPolicy'],
          resources: ['*'],
          conditions: {
            ArnNotEquals: {
              'aws:PrincipalArn': [
                protection.breakGlassRoleArn,
                ...(protection.deploymentRoleArn ? [protection.deploymentRoleArn] : []),
              ],
            },
          },
        }),
      );
    }
  }

  /**
   * Let CloudWatch Logs in this account and region use the key for log groups of this account only
   * (the encryption context names the log group).
   */
  grantCloudWatchLogs(): void {
    const { region, account, partition } = Stack.of(this);
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchLogsOfThisAccount',
        principals: [new iam.ServicePrincipal(`logs.${region}.amazonaws.com`)],
        actions: [
          'kms:Encrypt*',
          'kms:Decrypt*',
          'kms:ReEncrypt*',
          'kms:GenerateDataKey*',
          'kms:Describe*',
        ],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${account}:log-group:*`,
          },
        },
      }),
    );
  }
}
