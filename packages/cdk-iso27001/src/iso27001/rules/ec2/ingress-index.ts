import type { CfnResource } from 'aws-cdk-lib';
import { Stack } from 'aws-cdk-lib';
import type { AppIndex } from '../core/app-index';
import { referenceOf } from '../core/references';
import { viewOf } from '../core/resource-view';

/** An ingress rule, inline in a security group or a standalone `AWS::EC2::SecurityGroupIngress`. */
export interface IngressRule {
  /** Where the rule is, for findings: `<sg logical id>.SecurityGroupIngress.<i>` or the ingress id. */
  readonly path: string;
  readonly body: Record<string, unknown>;
}

/** Standalone ingress resources by `<stack path>/<security group logical id>`. */
function standaloneByGroup(index: AppIndex): Map<string, CfnResource[]> {
  return index.memo('ingress-by-group', (idx) => {
    const map = new Map<string, CfnResource[]>();
    for (const ingress of idx.ofType('AWS::EC2::SecurityGroupIngress')) {
      const stack = Stack.of(ingress);
      const ref = referenceOf(viewOf(ingress).properties.GroupId, stack);
      if (ref.kind !== 'logicalId') continue;
      const key = `${stack.node.path}/${ref.logicalId}`;
      map.set(key, [...(map.get(key) ?? []), ingress]);
    }
    return map;
  });
}

/** Every ingress rule that applies to a security group of the app. */
export function ingressRulesOf(group: CfnResource, index: AppIndex): IngressRule[] {
  const view = viewOf(group);
  const inline = view.properties.SecurityGroupIngress;
  const rules: IngressRule[] = Array.isArray(inline)
    ? inline.map((body, i) => ({
        path: `${view.logicalId}.SecurityGroupIngress.${i}`,
        body: (body ?? {}) as Record<string, unknown>,
      }))
    : [];
  const key = `${Stack.of(group).node.path}/${view.logicalId}`;
  for (const ingress of standaloneByGroup(index).get(key) ?? []) {
    const v = viewOf(ingress);
    rules.push({ path: v.logicalId, body: v.properties });
  }
  return rules;
}
