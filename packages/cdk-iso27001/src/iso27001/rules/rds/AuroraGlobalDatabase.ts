import { Stack } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { appIndexOf } from '../core/app-index';
import type { EnvironmentSettings, ResilienceScope } from '../core/environments';
import { inResilienceScope } from '../core/environments';
import { referenceOf } from '../core/references';
import { viewOf } from '../core/resource-view';
import type { IsoRule } from '../core/rule';
import { defineRule } from '../core/rule';
import { literalString } from '../core/values';

/**
 * An Aurora cluster in scope is part of a global database: it sets `GlobalClusterIdentifier`
 * (a secondary), or an `AWS::RDS::GlobalCluster` of its stack names it as
 * `SourceDBClusterIdentifier` (the primary), so a replica in a second region stays in sync.
 * cdk-nag has no equivalent.
 */
export function auroraGlobalDatabase(
  settings: EnvironmentSettings & { readonly scope: ResilienceScope },
): IsoRule {
  return defineRule('AuroraGlobalDatabase', (node) => {
    if (node.cfnResourceType !== 'AWS::RDS::DBCluster') return NagRuleCompliance.NOT_APPLICABLE;
    const view = viewOf(node);
    const engine = literalString(view.properties.Engine, 'Engine')?.toLowerCase();
    if (!engine?.startsWith('aurora')) return NagRuleCompliance.NOT_APPLICABLE;
    const stack = Stack.of(node);
    if (!inResilienceScope(stack, settings.scope, settings))
      return NagRuleCompliance.NOT_APPLICABLE;
    if (view.properties.GlobalClusterIdentifier !== undefined) return NagRuleCompliance.COMPLIANT;
    const identifier = view.properties.DBClusterIdentifier;
    const isSource = appIndexOf(node)
      .inStack(stack)
      .filter((r) => r.cfnResourceType === 'AWS::RDS::GlobalCluster')
      .some((global) => {
        const source = viewOf(global).properties.SourceDBClusterIdentifier;
        const ref = referenceOf(source, stack);
        if (ref.kind === 'logicalId') return ref.logicalId === view.logicalId;
        // An ARN joined from the cluster's Ref: `arn:...:cluster:` + { Ref: <cluster> }.
        if (JSON.stringify(source).includes(JSON.stringify({ Ref: view.logicalId }))) return true;
        return (
          ref.kind === 'text' &&
          typeof identifier === 'string' &&
          (ref.text === identifier || ref.text.endsWith(`:cluster:${identifier}`))
        );
      });
    return isSource ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  });
}
