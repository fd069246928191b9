import { Stack } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import type { EnvironmentSettings, ResilienceScope } from '../core/environments';
import { inResilienceScope } from '../core/environments';
import { appIndexOf } from '../core/app-index';
import { referenceOf } from '../core/references';
import { targetOf } from '../core/resource-view';
import type { IsoRule } from '../core/rule';
import { defineRule, NotCheckableError } from '../core/rule';
import { copyActionsOf, planRulesOf } from './plan-rules';

/**
 * A backup plan in scope copies recovery points to a vault in another region: some copy action's
 * `DestinationBackupVaultArn` names a region other than the plan's. An ARN built with
 * `AWS::Region`, or a `Ref` to a vault of the same stack, is the same region.
 */
export function backupCopyToOtherRegion(
  settings: EnvironmentSettings & { readonly scope: ResilienceScope },
): IsoRule {
  return defineRule('BackupCopyToOtherRegion', (node) => {
    if (node.cfnResourceType !== 'AWS::Backup::BackupPlan') return NagRuleCompliance.NOT_APPLICABLE;
    const stack = Stack.of(node);
    if (!inResilienceScope(stack, settings.scope, settings))
      return NagRuleCompliance.NOT_APPLICABLE;
    const ownRegion = targetOf(stack).region;
    for (const rule of planRulesOf(node)) {
      for (const copy of copyActionsOf(rule)) {
        const what = `${copy.path}.DestinationBackupVaultArn`;
        const ref = referenceOf(copy.body.DestinationBackupVaultArn, stack);
        if (ref.kind === 'logicalId') {
          const vault = appIndexOf(node).byLogicalId(stack, ref.logicalId);
          if (vault?.cfnResourceType !== 'AWS::Backup::BackupVault')
            throw new NotCheckableError(what);
          continue; // a vault of the same stack: same region
        }
        if (ref.kind === 'unknown') throw new NotCheckableError(what);
        const region = ref.text.split(':')[3];
        if (region === '<AWS::Region>') continue;
        if (!region || ownRegion === undefined) throw new NotCheckableError(what);
        if (region !== ownRegion) return NagRuleCompliance.COMPLIANT;
      }
    }
    return NagRuleCompliance.NON_COMPLIANT;
  });
}
