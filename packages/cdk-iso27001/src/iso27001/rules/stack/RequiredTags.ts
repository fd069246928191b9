import { TagManager } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import type { IsoRule } from '../core/rule';
import { defineRule } from '../core/rule';

/**
 * Every taggable resource carries each required tag with a non-empty value (ownership,
 * environment, data classification: the inventory of cloud assets). Findings name the missing
 * tag keys. Tags added with `Tags.of(scope)` are applied during synthesis, before validation.
 * Not applicable when no tags are required.
 */
export function requiredTags(keys: readonly string[] | undefined): IsoRule {
  return defineRule('RequiredTags', (node) => {
    if (!keys || keys.length === 0 || !TagManager.isTaggable(node)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const tags = node.tags.tagValues();
    const missing = keys.filter((key) => tags[key] === undefined || tags[key] === '');
    return missing.length === 0 ? NagRuleCompliance.COMPLIANT : missing;
  });
}
