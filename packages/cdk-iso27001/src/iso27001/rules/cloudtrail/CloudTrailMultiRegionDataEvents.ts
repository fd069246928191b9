import { NagRuleCompliance } from 'cdk-nag';
import { viewOf } from '../core/resource-view';
import { defineRule } from '../core/rule';
import { literalBoolean, literalList, literalObject } from '../core/values';

/**
 * The trail records every region (`IsMultiRegionTrail`), is logging (`IsLogging`), and records
 * data events (an event selector with data resources, or an advanced event selector on
 * `eventCategory` = `Data`). Findings: `MultiRegion`, `Logging`, `DataEvents`. Log file
 * validation is the reused cdk-nag rule `CloudTrailLogFileValidationEnabled`. cdk-nag has no
 * multi-region or data-event rule.
 */
export const CloudTrailMultiRegionDataEvents = defineRule(
  'CloudTrailMultiRegionDataEvents',
  (node) => {
    if (node.cfnResourceType !== 'AWS::CloudTrail::Trail') return NagRuleCompliance.NOT_APPLICABLE;
    const props = viewOf(node).properties;
    const findings: string[] = [];
    if (literalBoolean(props.IsMultiRegionTrail, 'IsMultiRegionTrail') !== true)
      findings.push('MultiRegion');
    if (literalBoolean(props.IsLogging, 'IsLogging') !== true) findings.push('Logging');
    const basic = literalList(props.EventSelectors, 'EventSelectors').some(
      (selector, i) =>
        literalList(
          literalObject(selector, `EventSelectors.${i}`)?.DataResources,
          `EventSelectors.${i}.DataResources`,
        ).length > 0,
    );
    const advanced = literalList(props.AdvancedEventSelectors, 'AdvancedEventSelectors').some(
      (selector, i) =>
        literalList(
          literalObject(selector, `AdvancedEventSelectors.${i}`)?.FieldSelectors,
          `AdvancedEventSelectors.${i}.FieldSelectors`,
        ).some((field) => {
          const f = (field ?? {}) as Record<string, unknown>;
          return (
            f.Field === 'eventCategory' && Array.isArray(f.Equals) && f.Equals.includes('Data')
          );
        }),
    );
    if (!basic && !advanced) findings.push('DataEvents');
    return findings.length === 0 ? NagRuleCompliance.COMPLIANT : findings;
  },
);
