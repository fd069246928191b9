import { NagRuleCompliance } from 'cdk-nag';
import type { IsoRule } from '../core/rule';
import { defineRule } from '../core/rule';
import { literalNumber, literalObject } from '../core/values';
import { ISO27001_DEFAULT_POLICY } from '../../policy';
import type { PlanRule } from './plan-rules';
import { copyActionsOf, planRulesOf } from './plan-rules';

/**
 * Every rule of the backup plan, and every copy action, keeps recovery points at least
 * `minimumDays` (no `DeleteAfterDays` means kept until deleted by hand, which passes). Findings
 * name the rule or copy action that is short. The minimum defaults to the pack's policy (30 days).
 */
export function backupPlanMinimumRetention(
  minimumDays: number = ISO27001_DEFAULT_POLICY.minimumBackupRetentionDays,
): IsoRule {
  return defineRule('BackupPlanMinimumRetention', (node) => {
    if (node.cfnResourceType !== 'AWS::Backup::BackupPlan') return NagRuleCompliance.NOT_APPLICABLE;
    const short: string[] = [];
    const check = (item: PlanRule): void => {
      const lifecycle = literalObject(item.body.Lifecycle, `${item.path}.Lifecycle`);
      const days = literalNumber(
        lifecycle?.DeleteAfterDays,
        `${item.path}.Lifecycle.DeleteAfterDays`,
      );
      if (days !== undefined && days < minimumDays) short.push(item.path);
    };
    for (const rule of planRulesOf(node)) {
      check(rule);
      copyActionsOf(rule).forEach(check);
    }
    return short.length === 0 ? NagRuleCompliance.COMPLIANT : short;
  });
}
