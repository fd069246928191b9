import { Stack } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { referenceOf } from '../core/references';
import { viewOf } from '../core/resource-view';
import { defineRule } from '../core/rule';

const POLICY_TYPES = ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'];
const PRINCIPAL_TYPES = ['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group'];

function asList(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function adminStatements(document: unknown, path: string): string[] {
  const statements = asList((document as { Statement?: unknown } | undefined)?.Statement);
  return statements.flatMap((item, i) => {
    const s = (item ?? {}) as Record<string, unknown>;
    const all = (value: unknown): boolean => asList(value).includes('*');
    return s.Effect === 'Allow' && all(s.Action) && all(s.Resource)
      ? [`${path}.Statement.${i}`]
      : [];
  });
}

/**
 * No IAM policy grants full administrator access: no `Allow` statement with `Action` `*` on
 * `Resource` `*` (in managed, inline and principal-embedded policies), and no principal with the
 * AWS managed `AdministratorAccess` policy attached. Access is granted per need (least
 * privilege). Findings name the statements. Values that are intrinsics cannot be `*` and are not
 * findings.
 */
export const IamNoAdminPolicy = defineRule('IamNoAdminPolicy', (node) => {
  const type = node.cfnResourceType;
  if (!POLICY_TYPES.includes(type) && !PRINCIPAL_TYPES.includes(type)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const props = viewOf(node).properties;
  const findings: string[] = [];
  if (POLICY_TYPES.includes(type))
    findings.push(...adminStatements(props.PolicyDocument, 'PolicyDocument'));
  asList(props.Policies).forEach((policy, i) => {
    findings.push(
      ...adminStatements((policy as { PolicyDocument?: unknown })?.PolicyDocument, `Policies.${i}`),
    );
  });
  asList(props.ManagedPolicyArns).forEach((arn, i) => {
    const ref = referenceOf(arn, Stack.of(node));
    if (ref.kind === 'text' && /:iam::aws:policy\/AdministratorAccess$/.test(ref.text)) {
      findings.push(`ManagedPolicyArns.${i}`);
    }
  });
  return findings.length === 0 ? NagRuleCompliance.COMPLIANT : findings;
});
