import { NagRuleCompliance } from 'cdk-nag';
import { viewOf } from '../core/resource-view';
import { defineRule } from '../core/rule';
import { isDataStore, keepsData } from './data-stores';

/**
 * A data store has an `UpdateReplacePolicy` that keeps the old resource's data when a change
 * forces a replacement (Retain / RetainExceptOnCreate, or Snapshot for RDS), so a property change
 * in a deployment can never destroy records. The policy must be explicit: CloudFormation's
 * default for a replacement is Delete.
 */
export const DataStoreReplacePolicy = defineRule('DataStoreReplacePolicy', (node) => {
  if (!isDataStore(node)) return NagRuleCompliance.NOT_APPLICABLE;
  const view = viewOf(node);
  return keepsData(view.updateReplacePolicy, view.type)
    ? NagRuleCompliance.COMPLIANT
    : NagRuleCompliance.NON_COMPLIANT;
});
