import { Duration } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import {
  backupCopyToOtherRegion,
  BackupPlanDailyRule,
  backupPlanMinimumRetention,
  backupRuleCopyAction,
  BackupVaultLocked,
} from '../../../../../packages/cdk-iso27001/src/iso27001/rules';
import { isDailyOrMoreOften } from '../../../../../packages/cdk-iso27001/src/iso27001/rules/backup/BackupPlanDailyRule';
import { cfn, COMPLIANT, newStack, NON_COMPLIANT, PROD_ACCOUNT, SECONDARY } from '../rule-harness';

const REMOTE_VAULT = `arn:aws:backup:${SECONDARY}:${PROD_ACCOUNT}:backup-vault:logi-prod-${SECONDARY}-vault`;

function plan(rules: Record<string, unknown>[]) {
  const stack = newStack();
  return cfn(stack, 'Plan', 'AWS::Backup::BackupPlan', {
    BackupPlan: { BackupPlanName: 'p', BackupPlanRule: rules },
  });
}

describe('BackupPlanDailyRule', () => {
  it('passes an L2 plan with a daily rule', () => {
    const stack = newStack();
    const vault = new backup.BackupVault(stack, 'Vault');
    const p = new backup.BackupPlan(stack, 'Plan', { backupVault: vault });
    p.addRule(
      new backup.BackupPlanRule({
        scheduleExpression: events.Schedule.cron({ hour: '3', minute: '0' }),
      }),
    );
    expect(BackupPlanDailyRule(p.node.defaultChild as backup.CfnBackupPlan)).toBe(COMPLIANT);
  });
  it('fails weekly-only and unscheduled plans', () => {
    expect(
      BackupPlanDailyRule(
        plan([
          { RuleName: 'w', TargetBackupVault: 'v', ScheduleExpression: 'cron(0 3 ? * SUN *)' },
        ]),
      ),
    ).toBe(NON_COMPLIANT);
    expect(BackupPlanDailyRule(plan([{ RuleName: 'n', TargetBackupVault: 'v' }]))).toBe(
      NON_COMPLIANT,
    );
  });
  it('reads cron and rate expressions', () => {
    expect(isDailyOrMoreOften('rate(12 hours)')).toBe(true);
    expect(isDailyOrMoreOften('rate(7 days)')).toBe(false);
    expect(isDailyOrMoreOften('cron(0 5 ? * * *)')).toBe(true);
    expect(isDailyOrMoreOften('cron(0 5 1 * ? *)')).toBe(false);
  });
});

describe('backupPlanMinimumRetention', () => {
  const rule = backupPlanMinimumRetention(35);
  it('passes rules and copies that keep at least the minimum', () => {
    expect(
      rule(
        plan([
          {
            RuleName: 'd',
            TargetBackupVault: 'v',
            Lifecycle: { DeleteAfterDays: 35 },
            CopyActions: [{ DestinationBackupVaultArn: REMOTE_VAULT }],
          },
        ]),
      ),
    ).toBe(COMPLIANT);
  });
  it('names the short rule or copy action', () => {
    const result = rule(
      plan([
        {
          RuleName: 'd',
          TargetBackupVault: 'v',
          Lifecycle: { DeleteAfterDays: 7 },
          CopyActions: [
            { DestinationBackupVaultArn: REMOTE_VAULT, Lifecycle: { DeleteAfterDays: 14 } },
          ],
        },
      ]),
    );
    expect(result).toEqual([
      'BackupPlan.BackupPlanRule.0',
      'BackupPlan.BackupPlanRule.0.CopyActions.0',
    ]);
  });
  it('applies the default minimum of 30 days when none is given', () => {
    expect(backupPlanMinimumRetention()(plan([]))).toBe(COMPLIANT);
    const week = plan([
      { RuleName: 'Daily', TargetBackupVault: 'v', Lifecycle: { DeleteAfterDays: 7 } },
    ]);
    expect(backupPlanMinimumRetention()(week)).toEqual(['BackupPlan.BackupPlanRule.0']);
    expect(backupPlanMinimumRetention(7)(week)).toBe(COMPLIANT);
  });
});

describe('backupRuleCopyAction and backupCopyToOtherRegion', () => {
  const copy = backupRuleCopyAction({ scope: 'all' });
  const otherRegion = backupCopyToOtherRegion({ scope: 'all' });
  it('pass a plan whose rules copy to a vault in another region', () => {
    const p = plan([
      {
        RuleName: 'd',
        TargetBackupVault: 'v',
        CopyActions: [{ DestinationBackupVaultArn: REMOTE_VAULT }],
      },
    ]);
    expect(copy(p)).toBe(COMPLIANT);
    expect(otherRegion(p)).toBe(COMPLIANT);
  });
  it('fail a rule without copies, and a copy into the same region (AWS::Region)', () => {
    expect(copy(plan([{ RuleName: 'd', TargetBackupVault: 'v' }]))).toEqual([
      'BackupPlan.BackupPlanRule.0',
    ]);
    const sameRegion = plan([
      {
        RuleName: 'd',
        TargetBackupVault: 'v',
        CopyActions: [
          {
            DestinationBackupVaultArn: {
              'Fn::Sub':
                'arn:${AWS::Partition}:backup:${AWS::Region}:${AWS::AccountId}:backup-vault:other',
            },
          },
        ],
      },
    ]);
    expect(otherRegion(sameRegion)).toBe(NON_COMPLIANT);
  });
  it('report an imported vault ARN as not checkable', () => {
    const p = plan([
      {
        RuleName: 'd',
        TargetBackupVault: 'v',
        CopyActions: [{ DestinationBackupVaultArn: { 'Fn::ImportValue': 'VaultArn' } }],
      },
    ]);
    expect(otherRegion(p)).toEqual([
      'NotCheckable:BackupPlan.BackupPlanRule.0.CopyActions.0.DestinationBackupVaultArn',
    ]);
  });
});

describe('BackupVaultLocked', () => {
  it('passes a vault lock in compliance mode', () => {
    const stack = newStack();
    const vault = new backup.BackupVault(stack, 'V', {
      lockConfiguration: { minRetention: Duration.days(35), changeableFor: Duration.days(3) },
    });
    expect(BackupVaultLocked(vault.node.defaultChild as backup.CfnBackupVault)).toBe(COMPLIANT);
  });
  it('fails no lock and a governance-mode lock', () => {
    const stack = newStack();
    expect(
      BackupVaultLocked(cfn(stack, 'A', 'AWS::Backup::BackupVault', { BackupVaultName: 'a' })),
    ).toBe(NON_COMPLIANT);
    const governance = cfn(stack, 'G', 'AWS::Backup::BackupVault', {
      BackupVaultName: 'g',
      LockConfiguration: { MinRetentionDays: 35 },
    });
    expect(BackupVaultLocked(governance)).toBe(NON_COMPLIANT);
  });
});
