import type { Template } from 'aws-cdk-lib/assertions';
import { Match } from 'aws-cdk-lib/assertions';
import { stackTemplate } from '../support/default-platform';
import { snapshotTests } from '../support/stack-snapshots';

const ACCOUNT = '333333333333';
/** The break-glass role the primary Security stack creates, by its Arn (a cross-stack output). */
const BREAK_GLASS = {
  'Fn::GetStackOutput': Match.objectLike({
    StackName: 'prod-apse2-Security',
    OutputName: Match.stringLikeRegexp('BreakGlassRole.*Arn'),
  }),
};
const SECONDARY_VAULT = `arn:aws:backup:ap-southeast-4:${ACCOUNT}:backup-vault:logi-prod-ap-southeast-4-vault`;
const AURORA = `arn:aws:rds:ap-southeast-2:${ACCOUNT}:cluster:logi-prod-ap-southeast-2-aurora`;
const FILES = 'arn:aws:s3:::logi-prod-ap-southeast-2-files';
const TENANTS = `arn:aws:dynamodb:ap-southeast-2:${ACCOUNT}:table/logi-prod-tenants`;
const TENANT_AUDIT = `arn:aws:dynamodb:ap-southeast-2:${ACCOUNT}:table/logi-prod-tenant-audit`;

let prod: Template;
let prodSecondary: Template;
let dev: Template;

beforeAll(() => {
  prod = stackTemplate('prod-apse2-Backup');
  prodSecondary = stackTemplate('prod-apse4-Backup');
  dev = stackTemplate('dev-apse2-Backup');
});

describe('vault', () => {
  it('is named per environment and region, encrypted with the backup key, retained', () => {
    prod.hasResource('AWS::Backup::BackupVault', {
      Properties: {
        BackupVaultName: 'logi-prod-ap-southeast-2-vault',
        EncryptionKeyArn: Match.anyValue(),
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    prodSecondary.hasResourceProperties('AWS::Backup::BackupVault', {
      BackupVaultName: 'logi-prod-ap-southeast-4-vault',
    });
  });

  it('prod: compliance-mode lock that becomes immutable after its cooling-off period', () => {
    prod.hasResourceProperties('AWS::Backup::BackupVault', {
      LockConfiguration: { MinRetentionDays: 35, MaxRetentionDays: 365, ChangeableForDays: 3 },
    });
  });

  it('dev: governance-mode lock (no ChangeableForDays) with its own min and max', () => {
    dev.hasResourceProperties('AWS::Backup::BackupVault', {
      LockConfiguration: {
        MinRetentionDays: 7,
        MaxRetentionDays: 90,
        ChangeableForDays: Match.absent(),
      },
    });
  });

  it('denies deleting recovery points or changing their lifecycle to all but the break-glass role', () => {
    prod.hasResourceProperties('AWS::Backup::BackupVault', {
      AccessPolicy: {
        Statement: Match.arrayWith([
          {
            Sid: 'DenyRecoveryPointDeletionExceptBreakGlass',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'],
            Resource: '*',
            Condition: { ArnNotEquals: { 'aws:PrincipalArn': BREAK_GLASS } },
          },
        ]),
      },
    });
  });

  it('denies weakening the vault (policy, lock, deletion) to all but break glass and the deployment role', () => {
    prod.hasResourceProperties('AWS::Backup::BackupVault', {
      AccessPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'DenyProtectionChangesExceptBreakGlassAndDeployment',
            Effect: 'Deny',
            Action: Match.arrayWith([
              'backup:DeleteBackupVault',
              'backup:PutBackupVaultAccessPolicy',
              'backup:DeleteBackupVaultLockConfiguration',
            ]),
            Condition: {
              ArnNotEquals: {
                'aws:PrincipalArn': [
                  BREAK_GLASS,
                  `arn:aws:iam::${ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-ap-southeast-2`,
                ],
              },
            },
          }),
        ]),
      },
    });
  });
});

describe('plan (primary region)', () => {
  const rule = (name: string, days: number, extra: Record<string, unknown> = {}) =>
    Match.objectLike({ RuleName: name, Lifecycle: { DeleteAfterDays: days }, ...extra });

  it('prod: continuous 35 days, daily 35 days, monthly 365 days, each copied to the secondary vault; daily and monthly also to the air-gapped vault', () => {
    const airGapped = Object.keys(
      prod.findResources('AWS::Backup::LogicallyAirGappedBackupVault', {
        Properties: { BackupVaultName: 'logi-prod-ap-southeast-2-airgapped-vault' },
      }),
    );
    expect(airGapped).toHaveLength(1);
    const peer = (days: number) => ({
      DestinationBackupVaultArn: SECONDARY_VAULT,
      Lifecycle: { DeleteAfterDays: days },
    });
    const isolated = (days: number) => ({
      DestinationBackupVaultArn: { 'Fn::GetAtt': [airGapped[0], 'BackupVaultArn'] },
      Lifecycle: { DeleteAfterDays: days },
    });
    const copy = (days: number, continuous = false) =>
      continuous ? [peer(days)] : [peer(days), isolated(days)];
    prod.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanName: 'logi-prod-ap-southeast-2-backup-plan',
        BackupPlanRule: [
          rule('continuous', 35, { EnableContinuousBackup: true, CopyActions: copy(35, true) }),
          rule('daily', 35, { ScheduleExpression: 'cron(0 15 * * ? *)', CopyActions: copy(35) }),
          rule('monthly', 365, {
            ScheduleExpression: 'cron(0 16 1 * ? *)',
            CopyActions: copy(365),
          }),
        ],
      },
    });
  });

  it('dev (single region): retention from its config and no copy actions', () => {
    dev.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanRule: [
          rule('continuous', 7, { CopyActions: Match.absent() }),
          rule('daily', 7, { CopyActions: Match.absent() }),
          rule('monthly', 90, { CopyActions: Match.absent() }),
        ],
      },
    });
  });

  it('selects the Aurora cluster, the file bucket and the tenant registry (and its audit table) by ARN, not by tag', () => {
    prod.hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupSelection: {
        Resources: [AURORA, FILES, TENANTS, TENANT_AUDIT],
        ListOfTags: Match.absent(),
        IamRoleArn: Match.anyValue(),
      },
    });
  });

  it("backs up with the region's deterministically named service role", () => {
    // Its trust and policies: test/constructs/backup/backup-plan.test.ts.
    const role = Object.keys(
      prod.findResources('AWS::IAM::Role', {
        Properties: { RoleName: 'logi-prod-ap-southeast-2-backup' },
      }),
    );
    expect(role).toHaveLength(1);
    prod.hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupSelection: { IamRoleArn: { 'Fn::GetAtt': [role[0], 'Arn'] } },
    });
  });

  it('secondary region: a daily plan over its own Aurora cluster and file bucket, copied back to the primary vault', () => {
    prodSecondary.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanRule: [
          rule('daily', 35, {
            CopyActions: [
              {
                DestinationBackupVaultArn: `arn:aws:backup:ap-southeast-2:${ACCOUNT}:backup-vault:logi-prod-ap-southeast-2-vault`,
                Lifecycle: { DeleteAfterDays: 35 },
              },
            ],
          }),
        ],
      },
    });
    prodSecondary.hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupSelection: {
        Resources: [
          `arn:aws:rds:ap-southeast-4:${ACCOUNT}:cluster:logi-prod-ap-southeast-4-aurora`,
          // What the services write here after a failover replicates nowhere: backed up here.
          'arn:aws:s3:::logi-prod-ap-southeast-4-files',
        ],
      },
    });
  });
});

describe('alerts to on-call', () => {
  // The event patterns: test/constructs/backup/backup-alerts.test.ts.
  it("vault events are filtered to this region's vault", () => {
    prod.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'detail-type': ['Backup Vault State Change'],
        detail: { backupVaultName: ['logi-prod-ap-southeast-2-vault'] },
      },
    });
  });

  it('every backup rule targets the on-call topic of the region', () => {
    const rules = prod.findResources('AWS::Events::Rule', {
      Properties: { EventPattern: { source: ['aws.backup'] }, Targets: Match.anyValue() },
    });
    const onCall = Object.values(rules).filter((r) =>
      JSON.stringify(r.Properties.Targets).includes('OnCallTopic'),
    );
    expect(onCall.length).toBe(5);
  });
});

describe('audit', () => {
  it('framework with the controls that prove the design, cross-region where there is a peer', () => {
    const names = (t: Template) =>
      (
        Object.values(t.findResources('AWS::Backup::Framework'))[0].Properties
          .FrameworkControls as { ControlName: string }[]
      ).map((c) => c.ControlName);
    const base = [
      'BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN',
      'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK',
      'BACKUP_RECOVERY_POINT_ENCRYPTED',
      'BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED',
      'BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK',
    ];
    expect(names(prod)).toEqual([...base, 'BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION']);
    expect(names(dev)).toEqual(base);
    prod.hasResourceProperties('AWS::Backup::Framework', {
      FrameworkName: 'logi_prod_ap_southeast_2_backup_audit',
      FrameworkControls: Match.arrayWith([
        {
          ControlName: 'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK',
          ControlInputParameters: [
            { ParameterName: 'requiredFrequencyUnit', ParameterValue: 'hours' },
            { ParameterName: 'requiredFrequencyValue', ParameterValue: '24' },
            { ParameterName: 'requiredRetentionDays', ParameterValue: '35' },
          ],
        },
        {
          ControlName: 'BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED',
          ControlInputParameters: [
            { ParameterName: 'principalArnList', ParameterValue: BREAK_GLASS },
          ],
        },
        Match.objectLike({
          ControlName: 'BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK',
          ControlInputParameters: [
            { ParameterName: 'minRetentionDays', ParameterValue: '35' },
            { ParameterName: 'maxRetentionDays', ParameterValue: '365' },
          ],
        }),
        Match.objectLike({
          ControlName: 'BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION',
          ControlInputParameters: [
            { ParameterName: 'crossRegionList', ParameterValue: 'ap-southeast-4' },
          ],
        }),
      ]),
    });
  });

  it("report plans deliver into the region's reports bucket, locked as the environment says", () => {
    // The bucket's and the plans' own promises: test/constructs/backup/backup-audit.test.ts.
    prod.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'logi-prod-ap-southeast-2-backup-reports',
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 365 } },
      },
      LoggingConfiguration: {
        DestinationBucketName: 'logi-prod-ap-southeast-2-access-logs',
        LogFilePrefix: 'logi-prod-ap-southeast-2-backup-reports/',
      },
    });
    dev.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'logi-dev-ap-southeast-2-backup-reports',
      ObjectLockConfiguration: { Rule: { DefaultRetention: { Mode: 'GOVERNANCE' } } },
    });
    prod.hasResourceProperties('AWS::Backup::ReportPlan', {
      ReportPlanName: 'logi_prod_ap_southeast_2_backup_compliance',
    });
    prod.hasResourceProperties('AWS::Backup::ReportPlan', {
      ReportPlanName: 'logi_prod_ap_southeast_2_backup_restore_jobs',
    });
  });
});

describe('restore testing', () => {
  it('plan named with underscores, schedule from config, over this vault only', () => {
    prod.hasResourceProperties('AWS::Backup::RestoreTestingPlan', {
      RestoreTestingPlanName: 'logi_prod_ap_southeast_2_restore_test',
      ScheduleExpression: 'cron(0 3 ? * SUN *)',
      RecoveryPointSelection: {
        Algorithm: 'LATEST_WITHIN_WINDOW',
        IncludeVaults: [Match.anyValue()],
        RecoveryPointTypes: ['SNAPSHOT', 'CONTINUOUS'],
      },
    });
  });

  it('Aurora selection: isolated subnets, the restored clusters’ own security group, small instance', () => {
    prod.hasResourceProperties('AWS::Backup::RestoreTestingSelection', {
      ProtectedResourceType: 'Aurora',
      ProtectedResourceArns: [AURORA],
      RestoreMetadataOverrides: {
        dbsubnetgroupname: 'logi-prod-ap-southeast-2-db-subnets',
        vpcsecuritygroupids: Match.anyValue(),
        dbinstanceclass: 'db.t4g.medium',
      },
    });
    // The Data stack's subnet group of the isolated subnets, by name: none created here.
    prod.resourceCountIs('AWS::RDS::DBSubnetGroup', 0);
    prod.hasResourceProperties('AWS::Backup::RestoreTestingSelection', {
      ProtectedResourceType: 'S3',
      ProtectedResourceArns: [FILES],
    });
  });

  it('the secondary region tests the copies of the primary resources in its own vault', () => {
    prodSecondary.hasResourceProperties('AWS::Backup::RestoreTestingSelection', {
      ProtectedResourceType: 'Aurora',
      ProtectedResourceArns: [AURORA],
    });
  });

  it('validation Lambda: Node.js 22, arm64, in the compute subnets with its own group, as restore_validator', () => {
    prod.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      VpcConfig: { SubnetIds: Match.anyValue(), SecurityGroupIds: [Match.anyValue()] },
      LoggingConfig: { LogGroup: Match.anyValue() },
      Environment: {
        Variables: Match.objectLike({
          DB_USER: 'restore_validator',
          NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem',
        }),
      },
    });
    prod.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/logi-prod-ap-southeast-2-restore-validation',
      RetentionInDays: 365,
      KmsKeyId: Match.anyValue(),
    });
  });

  it('runs on completed restore jobs of its plan and on its own instances becoming available', () => {
    prod.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'detail-type': ['Restore Job State Change'],
        detail: { status: ['COMPLETED'], restoreTestingPlanArn: [Match.anyValue()] },
      },
    });
    prod.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.rds'],
        detail: {
          EventID: ['RDS-EVENT-0005'],
          SourceIdentifier: [{ prefix: 'restore-validation-' }],
        },
      },
    });
  });

  it('a failed validation or a failing Lambda alarms on-call', () => {
    prod.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Platform/RestoreTesting',
      MetricName: 'ValidationFailed',
      AlarmActions: [Match.anyValue()],
    });
    prod.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      AlarmActions: [Match.anyValue()],
    });
  });
});

snapshotTests('Backup');
