import { Stack } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { appIndexOf } from '../core/app-index';
import { referenceOf } from '../core/references';
import { viewOf } from '../core/resource-view';
import { defineRule, NotCheckableError } from '../core/rule';
import { literal, literalObject } from '../core/values';
import { engineOf } from './engine';

/**
 * The Aurora PostgreSQL cluster uses a cluster parameter group of its own stack that sets
 * `rds.force_ssl` to 1, so the server refuses unencrypted connections. A cluster on a `default.*`
 * group (or none) fails: the default group is not evidence of TLS enforcement. A group named by a
 * literal that is not in the stack is not checkable. cdk-nag has no equivalent.
 */
export const AuroraPostgresForceSsl = defineRule('AuroraPostgresForceSsl', (node) => {
  if (node.cfnResourceType !== 'AWS::RDS::DBCluster') return NagRuleCompliance.NOT_APPLICABLE;
  if (engineOf(node) !== 'aurora-postgresql') return NagRuleCompliance.NOT_APPLICABLE;
  const stack = Stack.of(node);
  const value = viewOf(node).properties.DBClusterParameterGroupName;
  if (value === undefined) return NagRuleCompliance.NON_COMPLIANT;
  const ref = referenceOf(value, stack);
  const index = appIndexOf(node);
  let group;
  if (ref.kind === 'logicalId') group = index.byLogicalId(stack, ref.logicalId);
  if (ref.kind === 'text') {
    if (ref.text.startsWith('default.')) return NagRuleCompliance.NON_COMPLIANT;
    group = index
      .inStack(stack)
      .find(
        (r) =>
          r.cfnResourceType === 'AWS::RDS::DBClusterParameterGroup' &&
          viewOf(r).properties.DBClusterParameterGroupName === ref.text,
      );
  }
  if (!group || group.cfnResourceType !== 'AWS::RDS::DBClusterParameterGroup') {
    throw new NotCheckableError('DBClusterParameterGroupName');
  }
  const groupView = viewOf(group);
  const parameters = literalObject(
    groupView.properties.Parameters,
    `${groupView.logicalId}.Parameters`,
  );
  const forceSsl = literal(
    parameters?.['rds.force_ssl'],
    `${groupView.logicalId}.Parameters.rds.force_ssl`,
  );
  return String(forceSsl) === '1' ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
