import { NagRuleCompliance } from 'cdk-nag';
import { viewOf } from '../core/resource-view';
import { defineRule } from '../core/rule';
import { literalString } from '../core/values';
import { requiresMfa, trustStatements } from './trust';

/** Role names that mark a break-glass (emergency access) role. */
export const BREAK_GLASS_NAME = /break[-_]?glass/i;

function tagValue(tags: unknown, key: string): unknown {
  if (!Array.isArray(tags)) return undefined;
  const tag = tags.find((t) => (t as { Key?: unknown })?.Key === key) as
    { Value?: unknown } | undefined;
  return tag?.Value;
}

/** A role principal (`arn:...:role/...`): automation that chains roles and cannot carry MFA. */
function isRolePrincipal(value: unknown): boolean {
  return typeof value === 'string' && /:role\//.test(value);
}

/**
 * A role people assume has an MFA trust: every `Allow` statement of its trust policy that admits
 * an AWS principal other than a role (an account root, an IAM user: the ways a person reaches a
 * role) requires `aws:MultiFactorAuthPresent` (or a bounded `aws:MultiFactorAuthAge`). A
 * break-glass role (name matching `break-glass`, or tag `BreakGlass=true`) needs MFA on every
 * `Allow` statement, whoever it admits. Roles trusted only by services or federation are not
 * applicable. Findings are the statements without MFA.
 *
 * cdk-nag has no rule on trust policies.
 */
export const PrivilegedRoleMfaTrust = defineRule('PrivilegedRoleMfaTrust', (node) => {
  if (node.cfnResourceType !== 'AWS::IAM::Role') return NagRuleCompliance.NOT_APPLICABLE;
  const props = viewOf(node).properties;
  const name = typeof props.RoleName === 'string' ? literalString(props.RoleName, 'RoleName') : '';
  const tag = tagValue(props.Tags, 'BreakGlass');
  const breakGlass = BREAK_GLASS_NAME.test(name ?? '') || tag === 'true' || tag === true;
  const statements = trustStatements(props.AssumeRolePolicyDocument);
  const inScope = breakGlass
    ? statements
    : statements.filter((s) => s.aws.some((principal) => !isRolePrincipal(principal)));
  if (inScope.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
  const findings = inScope.filter((s) => !requiresMfa(s)).map((s) => s.path);
  return findings.length === 0 ? NagRuleCompliance.COMPLIANT : findings;
});
