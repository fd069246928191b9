import { Stack } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { appIndexOf } from '../core/app-index';
import { viewOf } from '../core/resource-view';
import { defineRule, NotCheckableError } from '../core/rule';
import { literalList, literalObject, literalString, referencedLogicalId } from '../core/values';

/** The user pool tag naming the kind of principal a pool holds. */
export const PRINCIPALS_TAG = 'platform:principals';

/** An operator scope: `<resource server>/tenants.<name>` (the admin API's scopes). */
const isOperatorScope = (scope: string) =>
  scope.slice(scope.lastIndexOf('/') + 1).startsWith('tenants.');

/**
 * No tenant-facing Cognito client can be granted an operator scope. Cognito checks requested
 * scopes against the client, never the user, so a scope on a client that tenant users sign in
 * through is a scope every tenant user can obtain. A client may carry a `tenants.*` scope only
 * when its user pool (resolved from `UserPoolId` in the same stack) is tagged
 * `platform:principals=operator`; an untagged pool counts as tenant-facing. Finding:
 * `OperatorScope`; `NotCheckable:UserPoolId` when the pool cannot be found in the stack.
 */
export const CognitoTenantClientNoOperatorScope = defineRule(
  'CognitoTenantClientNoOperatorScope',
  (node) => {
    if (node.cfnResourceType !== 'AWS::Cognito::UserPoolClient') {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const props = viewOf(node).properties;
    const scopes = literalList(props.AllowedOAuthScopes, 'AllowedOAuthScopes').map((s, i) =>
      literalString(s, `AllowedOAuthScopes.${i}`),
    );
    if (!scopes.some((s) => s !== undefined && isOperatorScope(s))) {
      return NagRuleCompliance.COMPLIANT;
    }
    const poolId = referencedLogicalId(props.UserPoolId);
    const pool = poolId ? appIndexOf(node).byLogicalId(Stack.of(node), poolId) : undefined;
    if (!pool || pool.cfnResourceType !== 'AWS::Cognito::UserPool') {
      throw new NotCheckableError('UserPoolId');
    }
    const tags = literalObject(viewOf(pool).properties.UserPoolTags, 'UserPoolTags') ?? {};
    return tags[PRINCIPALS_TAG] === 'operator' ? NagRuleCompliance.COMPLIANT : ['OperatorScope'];
  },
);
