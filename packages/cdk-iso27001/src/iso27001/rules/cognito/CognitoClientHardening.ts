import { NagRuleCompliance } from 'cdk-nag';
import { viewOf } from '../core/resource-view';
import { defineRule } from '../core/rule';
import { literalBoolean, literalList, literalString } from '../core/values';

/**
 * A Cognito user pool client is hardened: no OAuth implicit flow (tokens in URLs), token
 * revocation not switched off, and `PreventUserExistenceErrors` explicitly `ENABLED` (so sign-in
 * errors do not reveal which user names exist). Findings: `ImplicitFlow`, `TokenRevocation`,
 * `UserExistenceErrors`. cdk-nag has no client rule.
 */
export const CognitoClientHardening = defineRule('CognitoClientHardening', (node) => {
  if (node.cfnResourceType !== 'AWS::Cognito::UserPoolClient')
    return NagRuleCompliance.NOT_APPLICABLE;
  const props = viewOf(node).properties;
  const findings: string[] = [];
  const flows = literalList(props.AllowedOAuthFlows, 'AllowedOAuthFlows').map((flow, i) =>
    literalString(flow, `AllowedOAuthFlows.${i}`),
  );
  if (flows.includes('implicit')) findings.push('ImplicitFlow');
  if (literalBoolean(props.EnableTokenRevocation, 'EnableTokenRevocation') === false) {
    findings.push('TokenRevocation');
  }
  if (literalString(props.PreventUserExistenceErrors, 'PreventUserExistenceErrors') !== 'ENABLED') {
    findings.push('UserExistenceErrors');
  }
  return findings.length === 0 ? NagRuleCompliance.COMPLIANT : findings;
});
