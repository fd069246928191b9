import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { VaultLockSettings } from '../../../lib/constructs/backup/backup-vault';
import {
  backupVaultArn,
  PlatformBackupVault,
  RECOVERY_POINT_DESTRUCTION_ACTIONS,
  VAULT_PROTECTION_ACTIONS,
} from '../../../lib/constructs/backup/backup-vault';
import { bareStack } from '../../support/bare-stack';

const BREAK_GLASS = 'arn:aws:iam::333333333333:role/platform-break-glass';
const DEPLOYER = 'arn:aws:iam::333333333333:role/deployer';

function build(lock: VaultLockSettings, protectionAdministrators?: string[]) {
  const stack = bareStack();
  new PlatformBackupVault(stack, 'Vault', {
    vaultName: 'logi-prod-ap-southeast-2-vault',
    key: new kms.Key(stack, 'BackupKey'),
    lock,
    breakGlassRoleArn: BREAK_GLASS,
    protectionAdministrators,
  });
  return Template.fromStack(stack);
}

const compliance = { minRetentionDays: 7, maxRetentionDays: 400, immutableAfterDays: 3 };

test('named, encrypted with the backup key, retained', () => {
  build(compliance).hasResource('AWS::Backup::BackupVault', {
    Properties: {
      BackupVaultName: 'logi-prod-ap-southeast-2-vault',
      EncryptionKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BackupKey'), 'Arn'] },
    },
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
  });
});

test('compliance-mode lock after the cooling-off period; governance mode without one', () => {
  build(compliance).hasResourceProperties('AWS::Backup::BackupVault', {
    LockConfiguration: { MinRetentionDays: 7, MaxRetentionDays: 400, ChangeableForDays: 3 },
  });
  build({ minRetentionDays: 1, maxRetentionDays: 35 }).hasResourceProperties(
    'AWS::Backup::BackupVault',
    {
      LockConfiguration: {
        MinRetentionDays: 1,
        MaxRetentionDays: 35,
        ChangeableForDays: Match.absent(),
      },
    },
  );
});

test('only break glass may delete recovery points or change their lifecycle', () => {
  build(compliance).hasResourceProperties('AWS::Backup::BackupVault', {
    AccessPolicy: {
      Statement: Match.arrayWith([
        {
          Sid: 'DenyRecoveryPointDeletionExceptBreakGlass',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: [...RECOVERY_POINT_DESTRUCTION_ACTIONS],
          Resource: '*',
          Condition: { ArnNotEquals: { 'aws:PrincipalArn': BREAK_GLASS } },
        },
      ]),
    },
  });
  expect(RECOVERY_POINT_DESTRUCTION_ACTIONS).toEqual([
    'backup:DeleteRecoveryPoint',
    'backup:UpdateRecoveryPointLifecycle',
  ]);
});

test('only break glass and the named administrators may weaken the vault', () => {
  const protection = (admins?: string[]) =>
    (
      Object.values(build(compliance, admins).findResources('AWS::Backup::BackupVault'))[0]
        .Properties.AccessPolicy.Statement as { Sid: string }[]
    ).find((s) => s.Sid === 'DenyProtectionChangesExceptBreakGlassAndDeployment');
  expect(protection([DEPLOYER])).toEqual({
    Sid: 'DenyProtectionChangesExceptBreakGlassAndDeployment',
    Effect: 'Deny',
    Principal: { AWS: '*' },
    Action: [...VAULT_PROTECTION_ACTIONS],
    Resource: '*',
    Condition: { ArnNotEquals: { 'aws:PrincipalArn': [BREAK_GLASS, DEPLOYER] } },
  });
  expect(protection()).toMatchObject({
    Condition: { ArnNotEquals: { 'aws:PrincipalArn': [BREAK_GLASS] } },
  });
  expect(VAULT_PROTECTION_ACTIONS).toEqual(
    expect.arrayContaining([
      'backup:DeleteBackupVault',
      'backup:PutBackupVaultAccessPolicy',
      'backup:DeleteBackupVaultAccessPolicy',
      'backup:PutBackupVaultLockConfiguration',
      'backup:DeleteBackupVaultLockConfiguration',
    ]),
  );
});

test('backupVaultArn names a vault of this account in another region', () => {
  const stack = bareStack();
  expect(
    stack.resolve(backupVaultArn(stack, 'ap-southeast-4', 'logi-prod-ap-southeast-4-vault')),
  ).toBe('arn:aws:backup:ap-southeast-4:333333333333:backup-vault:logi-prod-ap-southeast-4-vault');
});
