import type { CfnResource } from 'aws-cdk-lib';
import { Stack } from 'aws-cdk-lib';
import { appIndexOf } from '../core/app-index';
import { NagRuleCompliance } from 'cdk-nag';
import { referenceOf } from '../core/references';
import { viewOf } from '../core/resource-view';
import { defineRule } from '../core/rule';
import { trustStatements } from './trust';

/** AWS managed policies that give a workload control over the account or its identities. */
export const PRIVILEGED_MANAGED_POLICIES = [
  'AdministratorAccess',
  'PowerUserAccess',
  'IAMFullAccess',
];

function asList(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function privilegedStatements(document: unknown, path: string): string[] {
  const statements = asList((document as { Statement?: unknown } | undefined)?.Statement);
  return statements.flatMap((item, i) => {
    const s = (item ?? {}) as Record<string, unknown>;
    const actions = asList(s.Action);
    const wide = actions.some((a) => a === '*' || a === 'iam:*');
    return s.Effect === 'Allow' && wide ? [`${path}.Statement.${i}`] : [];
  });
}

function isWorkloadRole(role: CfnResource): boolean {
  const trust = trustStatements(viewOf(role).properties.AssumeRolePolicyDocument);
  return (
    trust.length > 0 &&
    trust.every((s) => s.service.length > 0 && s.aws.length === 0 && s.federated.length === 0)
  );
}

/** The policy resource's statements, when it is attached to a workload role of its stack. */
function policyResourceFindings(node: CfnResource): string[] | undefined {
  const props = viewOf(node).properties;
  const stack = Stack.of(node);
  const index = appIndexOf(node);
  const workload = asList(props.Roles).some((value) => {
    const ref = referenceOf(value, stack);
    const role =
      ref.kind === 'logicalId' && !ref.stack ? index.byLogicalId(stack, ref.logicalId) : undefined;
    return role?.cfnResourceType === 'AWS::IAM::Role' && isWorkloadRole(role);
  });
  return workload ? privilegedStatements(props.PolicyDocument, 'PolicyDocument') : undefined;
}

/**
 * A workload role (trusted only by AWS services: functions, tasks, state machines) holds no
 * privileged access: none of `PRIVILEGED_MANAGED_POLICIES` attached, and no inline `Allow` of
 * `*` or `iam:*` on any resource. Privileged access belongs to people through roles with an MFA
 * trust (`PrivilegedRoleMfaTrust`), never to code. Roles people can assume are not applicable.
 * Policies attached as separate `AWS::IAM::Policy` / `ManagedPolicy` resources to a workload role
 * of their stack are checked on the policy resource. Findings name the policy ARNs or statements.
 *
 * Own rule: `IamNoAdminPolicy` finds `*` on `*` anywhere; this one also finds PowerUser, IAM
 * full access and `iam:*` on workload roles.
 */
export const WorkloadRoleNotPrivileged = defineRule('WorkloadRoleNotPrivileged', (node) => {
  if (['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'].includes(node.cfnResourceType)) {
    const found = policyResourceFindings(node);
    if (found === undefined) return NagRuleCompliance.NOT_APPLICABLE;
    return found.length === 0 ? NagRuleCompliance.COMPLIANT : found;
  }
  if (node.cfnResourceType !== 'AWS::IAM::Role') return NagRuleCompliance.NOT_APPLICABLE;
  const props = viewOf(node).properties;
  if (!isWorkloadRole(node)) return NagRuleCompliance.NOT_APPLICABLE;
  const findings: string[] = [];
  asList(props.ManagedPolicyArns).forEach((arn, i) => {
    const ref = referenceOf(arn, Stack.of(node));
    const name = ref.kind === 'text' ? /:iam::aws:policy\/(.+)$/.exec(ref.text)?.[1] : undefined;
    if (name !== undefined && PRIVILEGED_MANAGED_POLICIES.includes(name)) {
      findings.push(`ManagedPolicyArns.${i}`);
    }
  });
  asList(props.Policies).forEach((policy, i) => {
    findings.push(
      ...privilegedStatements(
        (policy as { PolicyDocument?: unknown })?.PolicyDocument,
        `Policies.${i}`,
      ),
    );
  });
  return findings.length === 0 ? NagRuleCompliance.COMPLIANT : findings;
});
