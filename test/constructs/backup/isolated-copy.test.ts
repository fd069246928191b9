import { Match, Template } from 'aws-cdk-lib/assertions';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { PlatformBackupPlan } from '../../../lib/constructs/backup/backup-plan';
import { AirGappedVault, BackupRegionSettings } from '../../../lib/constructs/backup/isolated-copy';
import { bareStack } from '../../support/bare-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function build() {
  const stack = bareStack();
  const airGapped = new AirGappedVault(stack, 'AirGapped', {
    vaultName: 'logi-prod-ap-southeast-2-airgapped-vault',
    minRetentionDays: 35,
    maxRetentionDays: 365,
  });
  new BackupRegionSettings(stack, 'Settings', {
    logsKey: new kms.Key(stack, 'LogsKey'),
    logRetention: logs.RetentionDays.ONE_YEAR,
  });
  new PlatformBackupPlan(stack, 'Plan', {
    planName: 'plan',
    vault: new backup.BackupVault(stack, 'Vault', { backupVaultName: 'vault' }),
    rules: [
      {
        name: 'continuous',
        schedule: events.Schedule.cron({ hour: '13', minute: '0' }),
        retentionDays: 35,
        continuous: true,
      },
      {
        name: 'daily',
        schedule: events.Schedule.cron({ hour: '15', minute: '0' }),
        retentionDays: 35,
      },
      {
        name: 'monthly',
        schedule: events.Schedule.cron({ hour: '16', minute: '0', day: '1' }),
        retentionDays: 365,
      },
    ],
    copyToVaultArn: 'arn:aws:backup:ap-southeast-4:333333333333:backup-vault:peer',
    isolatedCopyVaultArn: airGapped.vaultArn,
    resourceArns: ['arn:aws:dynamodb:ap-southeast-2:333333333333:table/t'],
    role: new iam.Role(stack, 'Role', {
      assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
    }),
  });
  return { template: Template.fromStack(stack), airGappedId: stack.getLogicalId(airGapped.vault) };
}

const { template, airGappedId } = build();

test('a logically air-gapped vault, locked by its retention, retained', () => {
  template.hasResource('AWS::Backup::LogicallyAirGappedBackupVault', {
    Properties: {
      BackupVaultName: 'logi-prod-ap-southeast-2-airgapped-vault',
      MinRetentionDays: 35,
      MaxRetentionDays: 365,
    },
    DeletionPolicy: 'Retain',
  });
});

test('every snapshot rule also copies to the isolated vault; the continuous rule only to the peer', () => {
  const plan = Object.values(template.findResources('AWS::Backup::BackupPlan'))[0] as Json;
  const rules = plan.Properties.BackupPlan.BackupPlanRule as Json[];
  const isolated = { 'Fn::GetAtt': [airGappedId, 'BackupVaultArn'] };
  const copiesOf = (name: string) =>
    (rules.find((r) => r.RuleName === name)?.CopyActions as Json[]).map(
      (c) => c.DestinationBackupVaultArn,
    );
  expect(copiesOf('continuous')).toEqual([
    'arn:aws:backup:ap-southeast-4:333333333333:backup-vault:peer',
  ]);
  expect(copiesOf('daily')).toEqual([expect.any(String), isolated]);
  expect(copiesOf('monthly')).toEqual([expect.any(String), isolated]);
});

test('resource-type opt-in and DynamoDB advanced features, by a custom resource that answers CloudFormation', () => {
  const custom = Object.values(template.findResources('Custom::AWS'))[0] as Json;
  const create = JSON.parse(custom.Properties.Create as string);
  expect(create).toMatchObject({
    service: 'Backup',
    action: 'updateRegionSettings',
    parameters: {
      ResourceTypeOptInPreference: { Aurora: true, S3: true, DynamoDB: true },
      ResourceTypeManagementPreference: { DynamoDB: true },
    },
  });
  expect(custom.Properties.Update).toBe(custom.Properties.Create);
  template.hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: {
      Statement: [Match.objectLike({ Action: 'backup:UpdateRegionSettings', Resource: '*' })],
    },
  });
});
