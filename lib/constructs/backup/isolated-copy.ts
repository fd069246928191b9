import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeWhile, onlyActionsOn } from '../../compliance/acknowledge';
import { acknowledgeSdkCallFunction } from '../core/sdk-call-function';

export interface AirGappedVaultProps {
  /** Deterministic vault name, `<app>-<env>-<region>-airgapped-vault`. */
  readonly vaultName: string;
  /** Copies are kept at least this many days... */
  readonly minRetentionDays: number;
  /** ...and at most this many. */
  readonly maxRetentionDays: number;
}

/**
 * An AWS Backup logically air-gapped vault: locked by AWS in compliance mode, encrypted with an
 * AWS-owned key, its recovery points deletable by no one in the account before their retention
 * ends (break glass included). Retained with its stack.
 */
export class AirGappedVault extends Construct {
  readonly vault: backup.CfnLogicallyAirGappedBackupVault;

  constructor(scope: Construct, id: string, props: AirGappedVaultProps) {
    super(scope, id);
    this.vault = new backup.CfnLogicallyAirGappedBackupVault(this, 'Vault', {
      backupVaultName: props.vaultName,
      minRetentionDays: props.minRetentionDays,
      maxRetentionDays: props.maxRetentionDays,
    });
    this.vault.applyRemovalPolicy(RemovalPolicy.RETAIN);
  }

  get vaultArn(): string {
    return this.vault.attrBackupVaultArn;
  }
}

export interface BackupRegionSettingsProps {
  /** Key of the deploy-time function's log group. */
  readonly logsKey: kms.IKey;
  /** Retention of that log group. */
  readonly logRetention: logs.RetentionDays;
}

/**
 * The AWS Backup settings of this account and region the plan needs: resource-type opt-in for
 * Aurora, S3 and DynamoDB, and DynamoDB's advanced backup features (which cross-region and
 * cross-account copies of DynamoDB need). One UpdateRegionSettings call per deployment by an
 * `AwsCustomResource`, which always answers CloudFormation. Deleting the stack leaves them on.
 */
export class BackupRegionSettings extends Construct {
  constructor(scope: Construct, id: string, props: BackupRegionSettingsProps) {
    super(scope, id);
    const call: cr.AwsSdkCall = {
      service: 'Backup',
      action: 'updateRegionSettings',
      parameters: {
        ResourceTypeOptInPreference: { Aurora: true, S3: true, DynamoDB: true },
        ResourceTypeManagementPreference: { DynamoDB: true },
      },
      physicalResourceId: cr.PhysicalResourceId.of(
        `backup-region-settings-${Stack.of(this).region}`,
      ),
    };
    const settings = new cr.AwsCustomResource(this, 'Settings', {
      onCreate: call,
      onUpdate: call,
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ['backup:UpdateRegionSettings'], resources: ['*'] }),
      ]),
      installLatestAwsSdk: false,
      logGroup: new logs.LogGroup(this, 'SettingsLogs', {
        encryptionKey: props.logsKey,
        retention: props.logRetention,
        removalPolicy: RemovalPolicy.RETAIN,
      }),
    });
    const policy = settings.node.findChild('CustomResourcePolicy');
    acknowledgeWhile(
      policy,
      'AwsSolutions',
      'AwsSolutions-IAM5[Resource::*]',
      'backup:UpdateRegionSettings has no resource-level permissions; it is the only action of ' +
        'this policy, held only by the deploy-time settings function.',
      onlyActionsOn('*', ['backup:UpdateRegionSettings']),
    );
    acknowledge(
      policy,
      'NIST.800.53.R5',
      'NIST.800.53.R5-IAMNoInlinePolicy',
      'Inline policy of the CDK-provided deploy-time function role with one action ' +
        '(backup:UpdateRegionSettings); removed with the role.',
    );
    acknowledgeSdkCallFunction(
      this,
      'sets the AWS Backup region settings (one UpdateRegionSettings call)',
    );
  }
}
