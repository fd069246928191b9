import { NagRuleCompliance } from 'cdk-nag';
import { viewOf } from '../core/resource-view';
import { defineRule } from '../core/rule';
import { isDataStore, keepsData } from './data-stores';

/**
 * A data store (DB cluster, standalone DB instance, bucket, DynamoDB table, backup vault) has a
 * `DeletionPolicy` that keeps the data when the resource leaves the stack: Retain /
 * RetainExceptOnCreate, or Snapshot for RDS. A missing policy means Delete, except for RDS DB
 * clusters and standalone DB instances, which CloudFormation snapshots by default (passes).
 */
export const DataStoreRetainPolicy = defineRule('DataStoreRetainPolicy', (node) => {
  if (!isDataStore(node)) return NagRuleCompliance.NOT_APPLICABLE;
  const view = viewOf(node);
  // CloudFormation snapshots a DB cluster, and a DB instance outside a cluster, by default
  const policy =
    view.deletionPolicy ?? (view.type.startsWith('AWS::RDS::') ? 'Snapshot' : undefined);
  return keepsData(policy, view.type)
    ? NagRuleCompliance.COMPLIANT
    : NagRuleCompliance.NON_COMPLIANT;
});
