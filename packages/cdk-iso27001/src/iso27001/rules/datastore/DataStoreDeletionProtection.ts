import { NagRuleCompliance } from 'cdk-nag';
import { viewOf } from '../core/resource-view';
import { defineRule } from '../core/rule';
import { literalBoolean, literalList, literalObject } from '../core/values';

/**
 * Databases and tables refuse deletion: `DeletionProtection` on DB clusters and standalone DB
 * instances, `DeletionProtectionEnabled` on DynamoDB tables and on every replica of a global
 * table (findings name the replicas without it).
 *
 * Own rule: cdk-nag's `RDSInstanceDeletionProtectionEnabled` covers DB instances only and
 * nothing covers DynamoDB.
 */
export const DataStoreDeletionProtection = defineRule('DataStoreDeletionProtection', (node) => {
  const type = node.cfnResourceType;
  if (type === 'AWS::DynamoDB::GlobalTable') {
    const replicas = literalList(viewOf(node).properties.Replicas, 'Replicas');
    const open = replicas
      .map((item, i) => ({
        replica: literalObject(item, `Replicas.${i}`) ?? {},
        path: `Replicas.${i}`,
      }))
      .filter(
        ({ replica, path }) =>
          literalBoolean(replica.DeletionProtectionEnabled, `${path}.DeletionProtectionEnabled`) !==
          true,
      )
      .map(({ path }) => path);
    if (replicas.length === 0) return NagRuleCompliance.NON_COMPLIANT;
    return open.length === 0 ? NagRuleCompliance.COMPLIANT : open;
  }
  let property: string;
  if (type === 'AWS::DynamoDB::Table') property = 'DeletionProtectionEnabled';
  else if (type === 'AWS::RDS::DBCluster') property = 'DeletionProtection';
  else if (type === 'AWS::RDS::DBInstance') property = 'DeletionProtection';
  else return NagRuleCompliance.NOT_APPLICABLE;
  const props = viewOf(node).properties;
  if (type === 'AWS::RDS::DBInstance' && props.DBClusterIdentifier !== undefined) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  return literalBoolean(props[property], property) === true
    ? NagRuleCompliance.COMPLIANT
    : NagRuleCompliance.NON_COMPLIANT;
});
