import { Match, Template } from 'aws-cdk-lib/assertions';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import type { BackupRuleSettings } from '../../../lib/constructs/backup/backup-plan';
import {
  BACKUP_SERVICE_POLICIES,
  BackupServiceRole,
  PlatformBackupPlan,
} from '../../../lib/constructs/backup/backup-plan';
import { bareStack } from '../../support/bare-stack';

const RULES: BackupRuleSettings[] = [
  {
    name: 'continuous',
    schedule: events.Schedule.cron({ hour: '14', minute: '0' }),
    retentionDays: 35,
    continuous: true,
  },
  { name: 'daily', schedule: events.Schedule.cron({ hour: '15', minute: '0' }), retentionDays: 35 },
  {
    name: 'monthly',
    schedule: events.Schedule.cron({ day: '1', hour: '16', minute: '0' }),
    retentionDays: 365,
  },
];
const COPY =
  'arn:aws:backup:ap-southeast-4:333333333333:backup-vault:logi-prod-ap-southeast-4-vault';
const AURORA = 'arn:aws:rds:ap-southeast-2:333333333333:cluster:logi-prod-ap-southeast-2-aurora';
const FILES = 'arn:aws:s3:::logi-prod-ap-southeast-2-files';

function build(copyToVaultArn?: string) {
  const stack = bareStack();
  const { role } = new BackupServiceRole(stack, 'Role', { roleName: 'logi-prod-backup' });
  new PlatformBackupPlan(stack, 'Plan', {
    planName: 'logi-prod-backup-plan',
    vault: backup.BackupVault.fromBackupVaultName(stack, 'Vault', 'logi-prod-vault'),
    rules: RULES,
    copyToVaultArn,
    resourceArns: [AURORA, FILES],
    role,
  });
  return Template.fromStack(stack);
}

const rule = (name: string, days: number, extra: Record<string, unknown> = {}) =>
  Match.objectLike({
    RuleName: name,
    TargetBackupVault: 'logi-prod-vault',
    Lifecycle: { DeleteAfterDays: days },
    StartWindowMinutes: 60,
    CompletionWindowMinutes: 480,
    RecoveryPointTags: { 'backup-rule': name },
    ...extra,
  });

test('each rule keeps its retention and copies to the other region for as long', () => {
  const copy = (days: number) => [
    { DestinationBackupVaultArn: COPY, Lifecycle: { DeleteAfterDays: days } },
  ];
  build(COPY).hasResourceProperties('AWS::Backup::BackupPlan', {
    BackupPlan: {
      BackupPlanName: 'logi-prod-backup-plan',
      BackupPlanRule: [
        rule('continuous', 35, { EnableContinuousBackup: true, CopyActions: copy(35) }),
        rule('daily', 35, { ScheduleExpression: 'cron(0 15 * * ? *)', CopyActions: copy(35) }),
        rule('monthly', 365, { ScheduleExpression: 'cron(0 16 1 * ? *)', CopyActions: copy(365) }),
      ],
    },
  });
});

test('without a copy vault, no copy actions', () => {
  build().hasResourceProperties('AWS::Backup::BackupPlan', {
    BackupPlan: {
      BackupPlanRule: RULES.map((r) =>
        rule(r.name, r.retentionDays, { CopyActions: Match.absent() }),
      ),
    },
  });
});

test('one selection naming each resource by ARN, never by tag, with the backup role', () => {
  const template = build(COPY);
  template.resourceCountIs('AWS::Backup::BackupSelection', 1);
  template.hasResourceProperties('AWS::Backup::BackupSelection', {
    BackupSelection: {
      SelectionName: 'logi-prod-backup-plan-resources',
      Resources: [AURORA, FILES],
      ListOfTags: Match.absent(),
      IamRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Role'), 'Arn'] },
    },
  });
});

test('the service role: AWS Backup of this account only, exactly the four service policies', () => {
  build().hasResourceProperties('AWS::IAM::Role', {
    RoleName: 'logi-prod-backup',
    AssumeRolePolicyDocument: {
      Statement: [
        Match.objectLike({
          Principal: { Service: 'backup.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': '333333333333' } },
        }),
      ],
    },
    ManagedPolicyArns: BACKUP_SERVICE_POLICIES.map((name) => ({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::aws:policy/${name}`]],
    })),
  });
  expect([...BACKUP_SERVICE_POLICIES]).toHaveLength(4);
});
