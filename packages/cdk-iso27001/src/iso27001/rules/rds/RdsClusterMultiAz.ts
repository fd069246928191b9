import { Stack } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { appIndexOf } from '../core/app-index';
import { referenceOf } from '../core/references';
import { viewOf } from '../core/resource-view';
import { defineRule, NotCheckableError } from '../core/rule';
import { literalString } from '../core/values';

/**
 * The DB cluster survives the loss of an AZ: a Multi-AZ DB cluster (`DBClusterInstanceClass`), or
 * an Aurora cluster with at least two DB instances in its stack, not all pinned to one AZ.
 * Instances are matched by `Ref` to the cluster or by its `DBClusterIdentifier`.
 *
 * Own rule: cdk-nag's `RDSMultiAZSupport` looks at DB instances only and treats every Aurora
 * instance as multi-AZ, so a single-instance Aurora cluster passes.
 */
export const RdsClusterMultiAz = defineRule('RdsClusterMultiAz', (node) => {
  if (node.cfnResourceType !== 'AWS::RDS::DBCluster') return NagRuleCompliance.NOT_APPLICABLE;
  const view = viewOf(node);
  if (view.properties.DBClusterInstanceClass !== undefined) return NagRuleCompliance.COMPLIANT;
  const stack = Stack.of(node);
  const identifier = literalString(view.properties.DBClusterIdentifier, 'DBClusterIdentifier');
  const zones: (string | undefined)[] = [];
  let unknown: string | undefined;
  for (const instance of appIndexOf(node).inStack(stack)) {
    if (instance.cfnResourceType !== 'AWS::RDS::DBInstance') continue;
    const props = viewOf(instance).properties;
    const ref = referenceOf(props.DBClusterIdentifier, stack);
    const member =
      (ref.kind === 'logicalId' && ref.logicalId === view.logicalId) ||
      (ref.kind === 'text' &&
        identifier !== undefined &&
        ref.text.toLowerCase() === identifier.toLowerCase());
    if (ref.kind === 'unknown' && props.DBClusterIdentifier !== undefined) {
      unknown ??= `${viewOf(instance).logicalId}.DBClusterIdentifier`;
    }
    if (!member) continue;
    const zone = props.AvailabilityZone;
    zones.push(typeof zone === 'string' ? zone : undefined);
  }
  if (zones.length < 2) {
    if (unknown !== undefined) throw new NotCheckableError(unknown);
    return NagRuleCompliance.NON_COMPLIANT;
  }
  const pinned = zones.every((z) => z !== undefined) && new Set(zones).size === 1;
  return pinned ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
});
