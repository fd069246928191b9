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
}

/**
 * A customer-managed KMS key for one purpose in one environment and region: rotation on, a 30-day
 * deletion window, a deterministic alias, retained when its stack is deleted. Grants are added by
 * the consumers (`grantEncryptDecrypt`, `grantCloudWatchLogs`), never with a wildcard principal.
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
    });
    // Grants (long-lived delegated use of the key) only for AWS services acting for a resource.
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
