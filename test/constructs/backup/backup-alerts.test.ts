import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  BackupAlerts,
  FAILED_JOB_STATES,
  PROTECTION_CALLS,
} from '../../../lib/constructs/backup/backup-alerts';
import {
  RECOVERY_POINT_DESTRUCTION_ACTIONS,
  VAULT_PROTECTION_ACTIONS,
} from '../../../lib/constructs/backup/backup-vault';
import { bareStack } from '../../support/bare-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function build() {
  const stack = bareStack();
  new BackupAlerts(stack, 'Alerts', {
    topic: new sns.Topic(stack, 'OnCall'),
    vaultName: 'logi-prod-ap-southeast-2-vault',
    namePrefix: 'logi-prod-ap-southeast-2-backup',
  });
  return Template.fromStack(stack);
}

const template = build();
const rule = (suffix: string): Json =>
  (Object.values(template.findResources('AWS::Events::Rule')) as Json[]).find(
    (r) => r.Properties.Name === `logi-prod-ap-southeast-2-backup-${suffix}`,
  )!.Properties;

test('five rules, each enabled and targeting the on-call topic only', () => {
  const rules = Object.values(template.findResources('AWS::Events::Rule')) as Json[];
  expect(rules).toHaveLength(5);
  for (const r of rules) {
    expect(r.Properties.State).toBe('ENABLED');
    expect(r.Properties.Targets).toEqual([
      expect.objectContaining({ Arn: { Ref: expect.stringMatching(/^OnCall/) } }),
    ]);
  }
});

test('backup and copy jobs that failed, aborted or expired', () => {
  expect([...FAILED_JOB_STATES]).toEqual(['FAILED', 'ABORTED', 'EXPIRED']);
  expect(rule('job-failures').EventPattern).toEqual({
    source: ['aws.backup'],
    'detail-type': ['Backup Job State Change', 'Copy Job State Change'],
    detail: { state: ['FAILED', 'ABORTED', 'EXPIRED'] },
  });
});

test('restore jobs that failed and restore validations that failed or timed out', () => {
  expect(rule('restore-job-failures').EventPattern).toEqual({
    source: ['aws.backup'],
    'detail-type': ['Restore Job State Change'],
    detail: {
      $or: [
        { status: ['FAILED', 'ABORTED', 'EXPIRED'] },
        { validationStatus: ['FAILED', 'TIMED_OUT'] },
      ],
    },
  });
});

test("state changes of this region's vault, and expired or partial recovery points", () => {
  expect(rule('vault-events').EventPattern).toEqual({
    source: ['aws.backup'],
    'detail-type': ['Backup Vault State Change'],
    detail: { backupVaultName: ['logi-prod-ap-southeast-2-vault'] },
  });
  expect(rule('recovery-point-problems').EventPattern.detail).toEqual({
    status: ['EXPIRED', 'PARTIAL'],
  });
});

test('every call that deletes a recovery point or weakens the vault', () => {
  const calls = [...RECOVERY_POINT_DESTRUCTION_ACTIONS, ...VAULT_PROTECTION_ACTIONS].map((a) =>
    a.replace('backup:', ''),
  );
  expect(PROTECTION_CALLS).toEqual(expect.arrayContaining([...calls, 'DisassociateRecoveryPoint']));
  const pattern = rule('protection-calls').EventPattern;
  expect(pattern).toMatchObject({
    source: ['aws.backup'],
    'detail-type': ['AWS API Call via CloudTrail'],
    detail: { eventSource: ['backup.amazonaws.com'] },
  });
  expect(pattern.detail.eventName).toEqual(
    expect.arrayContaining([
      'DeleteRecoveryPoint',
      'UpdateRecoveryPointLifecycle',
      'PutBackupVaultAccessPolicy',
      'DeleteBackupVault',
    ]),
  );
});
