import type { CfnResource } from 'aws-cdk-lib';
import { Stack } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { appIndexOf } from '../core/app-index';
import { viewOf } from '../core/resource-view';
import { defineRule } from '../core/rule';
import { literalString, referencedLogicalId } from '../core/values';
import { requiresMfa, trustStatements } from './trust';

/** Role names that mark a break-glass (emergency access) role. */
export const BREAK_GLASS_NAME = /break[-_]?glass/i;

function tagValue(tags: unknown, key: string): unknown {
  if (!Array.isArray(tags)) return undefined;
  const tag = tags.find((t) => (t as { Key?: unknown })?.Key === key) as
    | { Value?: unknown }
    | undefined;
  return tag?.Value;
}

/**
 * A role principal: automation that chains roles and cannot carry MFA. Either an ARN
 * (`arn:...:role/...`) or the `Arn` of an `AWS::IAM::Role` of the same stack (`Fn::GetAtt`).
 */
function isRolePrincipal(value: unknown, node: CfnResource): boolean {
  if (typeof value === 'string') return /:role\//.test(value);
  const logicalId = referencedLogicalId(value);
  if (!logicalId) return false;
  const target = appIndexOf(node).byLogicalId(Stack.of(node), logicalId);
  return target?.cfnResourceType === 'AWS::IAM::Role';
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
    : statements.filter((s) => s.aws.some((principal) => !isRolePrincipal(principal, node)));
  if (inScope.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
  const findings = inScope.filter((s) => !requiresMfa(s)).map((s) => s.path);
  return findings.length === 0 ? NagRuleCompliance.COMPLIANT : findings;
});
