import { NagRuleCompliance } from 'cdk-nag';
import { viewOf } from '../core/resource-view';
import { defineRule } from '../core/rule';
import { literalBoolean, literalList } from '../core/values';

/**
 * The alarm has actions enabled and at least one alarm action, so a breach notifies someone or
 * does something.
 *
 * Own rule: cdk-nag's `CloudWatchAlarmAction` counts `length` of the resolved action lists, so a
 * list given as an intrinsic (e.g. `Fn::Split`) has no length, the count is NaN, and the alarm
 * passes; it also accepts an alarm whose only action is an OK or insufficient-data action.
 */
export const CloudWatchAlarmHasAction = defineRule('CloudWatchAlarmHasAction', (node) => {
  if (node.cfnResourceType !== 'AWS::CloudWatch::Alarm') return NagRuleCompliance.NOT_APPLICABLE;
  const props = viewOf(node).properties;
  if (literalBoolean(props.ActionsEnabled, 'ActionsEnabled') === false)
    return NagRuleCompliance.NON_COMPLIANT;
  const actions = literalList(props.AlarmActions, 'AlarmActions');
  return actions.length > 0 ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
