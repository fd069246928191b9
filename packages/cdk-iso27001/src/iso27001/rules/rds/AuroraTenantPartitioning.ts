import { Stack } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { appIndexOf } from '../core/app-index';
import { viewOf } from '../core/resource-view';
import type { IsoRule } from '../core/rule';
import { defineRule } from '../core/rule';
import { literalString } from '../core/values';

/** The platform's tenant-partitioning bootstrap: forced row-level security keyed on the tenant. */
export const DEFAULT_TENANT_PARTITIONING_TYPES: readonly string[] = [
  'Custom::TenantPartitioningBaseline',
];

/** Whether a resolved value references the logical id (a `Ref` or `Fn::GetAtt` anywhere in it). */
function mentions(value: unknown, logicalId: string): boolean {
  if (Array.isArray(value)) return value.some((v) => mentions(v, logicalId));
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  if (v.Ref === logicalId) return true;
  const getAtt = v['Fn::GetAtt'];
  if (Array.isArray(getAtt) && getAtt[0] === logicalId) return true;
  return Object.values(v).some((inner) => mentions(inner, logicalId));
}

/**
 * Every writable Aurora cluster (a global database's secondary receives the schema by replication
 * and is not applicable) is bootstrapped with tenant partitioning: a resource of one of `types` in
 * the same stack references the cluster (its endpoint, ARN or id), so every tenant-owned table
 * gets forced row-level security before any tenant role can reach it. `[]` turns the rule off.
 *
 * cdk-nag has no equivalent.
 */
export function auroraTenantPartitioning(
  types: readonly string[] = DEFAULT_TENANT_PARTITIONING_TYPES,
): IsoRule {
  return defineRule('AuroraTenantPartitioning', (node) => {
    if (node.cfnResourceType !== 'AWS::RDS::DBCluster' || types.length === 0) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const view = viewOf(node);
    const engine = literalString(view.properties.Engine, 'Engine') ?? '';
    if (!engine.startsWith('aurora')) return NagRuleCompliance.NOT_APPLICABLE;
    const secondary =
      view.properties.GlobalClusterIdentifier !== undefined &&
      view.properties.MasterUsername === undefined &&
      view.properties.SnapshotIdentifier === undefined;
    if (secondary) return NagRuleCompliance.NOT_APPLICABLE;
    const stack = Stack.of(node);
    const bootstrapped = appIndexOf(node)
      .inStack(stack)
      .some(
        (r) => types.includes(r.cfnResourceType) && mentions(viewOf(r).properties, view.logicalId),
      );
    return bootstrapped ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  });
}
