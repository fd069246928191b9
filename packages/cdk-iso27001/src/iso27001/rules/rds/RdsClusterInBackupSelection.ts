import { NagRuleCompliance } from 'cdk-nag';
import { isInBackupSelection } from '../backup/selection-index';
import { defineRule } from '../core/rule';

/**
 * The DB cluster is in an AWS Backup selection: by `Ref` in its own stack, or by the ARN
 * `arn:<partition>:rds:<region>:<account>:cluster:<DBClusterIdentifier>` (wildcards allowed) in a
 * selection of any stack of the same account and region, or by tag.
 *
 * Own rule: cdk-nag's `RDSInBackupPlan` covers DB instances only (not Aurora clusters), and only
 * selections in the same stack that reference the logical id.
 */
export const RdsClusterInBackupSelection = defineRule('RdsClusterInBackupSelection', (node) => {
  if (node.cfnResourceType !== 'AWS::RDS::DBCluster') return NagRuleCompliance.NOT_APPLICABLE;
  const selected = isInBackupSelection(
    node,
    'DBClusterIdentifier',
    (name, t) => `arn:${t.partition}:rds:${t.region}:${t.account}:cluster:${name.toLowerCase()}`,
  );
  return selected ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
