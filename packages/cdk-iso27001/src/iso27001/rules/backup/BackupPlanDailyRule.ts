import { NagRuleCompliance } from 'cdk-nag';
import { defineRule } from '../core/rule';
import { literalString } from '../core/values';
import { planRulesOf } from './plan-rules';

/** True when a schedule expression runs at least once a day. */
export function isDailyOrMoreOften(expression: string): boolean {
  const rate = /^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$/i.exec(expression.trim());
  if (rate) {
    const n = Number(rate[1]);
    return rate[2].toLowerCase().startsWith('day')
      ? n <= 1
      : rate[2].toLowerCase().startsWith('hour')
        ? n <= 24
        : true;
  }
  const cron = /^cron\((.+)\)$/i.exec(expression.trim());
  if (!cron) return false;
  const fields = cron[1].trim().split(/\s+/);
  if (fields.length !== 6) return false;
  const [, , dayOfMonth, month, dayOfWeek] = fields;
  const every = (field: string): boolean => field === '*' || field === '?';
  return every(dayOfMonth) && every(month) && every(dayOfWeek);
}

/** The backup plan has at least one rule with an explicit daily (or more frequent) schedule. */
export const BackupPlanDailyRule = defineRule('BackupPlanDailyRule', (node) => {
  if (node.cfnResourceType !== 'AWS::Backup::BackupPlan') return NagRuleCompliance.NOT_APPLICABLE;
  const daily = planRulesOf(node).some((rule) => {
    const expression = literalString(
      rule.body.ScheduleExpression,
      `${rule.path}.ScheduleExpression`,
    );
    return expression !== undefined && isDailyOrMoreOften(expression);
  });
  return daily ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
