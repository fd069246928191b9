import { Stack } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import type { EnvironmentSettings, ResilienceScope } from '../core/environments';
import { inResilienceScope } from '../core/environments';
import type { IsoRule } from '../core/rule';
import { defineRule } from '../core/rule';
import { copyActionsOf, planRulesOf } from './plan-rules';

/**
 * Every rule of a backup plan in scope copies its recovery points to a second vault (a copy
 * action), so one vault's loss or compromise does not lose the backups. Findings name each rule
 * without a copy action.
 */
export function backupRuleCopyAction(
  settings: EnvironmentSettings & { readonly scope: ResilienceScope },
): IsoRule {
  return defineRule('BackupRuleCopyAction', (node) => {
    if (node.cfnResourceType !== 'AWS::Backup::BackupPlan') return NagRuleCompliance.NOT_APPLICABLE;
    if (!inResilienceScope(Stack.of(node), settings.scope, settings)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const rules = planRulesOf(node);
    if (rules.length === 0) return NagRuleCompliance.NON_COMPLIANT;
    const missing = rules.filter((rule) => copyActionsOf(rule).length === 0).map((r) => r.path);
    return missing.length === 0 ? NagRuleCompliance.COMPLIANT : missing;
  });
}
