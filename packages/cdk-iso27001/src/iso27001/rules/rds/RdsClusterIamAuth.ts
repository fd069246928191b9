import { NagRuleCompliance } from 'cdk-nag';
import { viewOf } from '../core/resource-view';
import { defineRule } from '../core/rule';
import { literalBoolean } from '../core/values';
import { engineOf } from './engine';

const IAM_AUTH_ENGINES = ['aurora-mysql', 'aurora-postgresql', 'mysql', 'postgres', 'aurora'];

/**
 * The MySQL / PostgreSQL DB cluster accepts IAM database authentication, so applications sign in
 * with short-lived tokens instead of long-lived passwords.
 *
 * Own rule: cdk-nag's `AuroraMySQLPostgresIAMAuth` calls `engine.toLowerCase()` on the raw
 * property, so an engine given as a token (a parameter, an import) silently passes.
 */
export const RdsClusterIamAuth = defineRule('RdsClusterIamAuth', (node) => {
  if (node.cfnResourceType !== 'AWS::RDS::DBCluster') return NagRuleCompliance.NOT_APPLICABLE;
  const engine = engineOf(node);
  if (engine === undefined || !IAM_AUTH_ENGINES.includes(engine)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const enabled = literalBoolean(
    viewOf(node).properties.EnableIAMDatabaseAuthentication,
    'EnableIAMDatabaseAuthentication',
  );
  return enabled === true ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
