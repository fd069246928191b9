import { NagRuleCompliance } from 'cdk-nag';
import type { IsoRule } from '../core/rule';
import { defineRule } from '../core/rule';
import { literalNumber, literalObject } from '../core/values';
import type { PlanRule } from './plan-rules';
import { copyActionsOf, planRulesOf } from './plan-rules';

/**
 * Every rule of the backup plan, and every copy action, keeps recovery points at least
 * `minimumDays` (no `DeleteAfterDays` means kept until deleted by hand, which passes). Findings
 * name the rule or copy action that is short. Not applicable when no minimum is configured.
 */
export function backupPlanMinimumRetention(minimumDays: number | undefined): IsoRule {
  return defineRule('BackupPlanMinimumRetention', (node) => {
    if (node.cfnResourceType !== 'AWS::Backup::BackupPlan' || minimumDays === undefined) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
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
