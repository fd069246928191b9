import { NagRuleCompliance } from 'cdk-nag';
import { viewOf } from '../core/resource-view';
import { defineRule } from '../core/rule';
import { literalNumber, literalObject } from '../core/values';

/**
 * The backup vault has a Vault Lock in compliance mode: `LockConfiguration` with a positive
 * `MinRetentionDays` and a `ChangeableForDays` grace period (without it the lock stays in
 * governance mode, which a privileged principal, or an attacker holding one, can remove).
 */
export const BackupVaultLocked = defineRule('BackupVaultLocked', (node) => {
  if (node.cfnResourceType !== 'AWS::Backup::BackupVault') return NagRuleCompliance.NOT_APPLICABLE;
  const lock = literalObject(viewOf(node).properties.LockConfiguration, 'LockConfiguration');
  if (!lock) return NagRuleCompliance.NON_COMPLIANT;
  const minDays = literalNumber(lock.MinRetentionDays, 'LockConfiguration.MinRetentionDays') ?? 0;
  const changeable = literalNumber(lock.ChangeableForDays, 'LockConfiguration.ChangeableForDays');
  return minDays > 0 && changeable !== undefined
    ? NagRuleCompliance.COMPLIANT
    : NagRuleCompliance.NON_COMPLIANT;
});
