import { NagRuleCompliance } from 'cdk-nag';
import { viewOf } from '../core/resource-view';
import type { IsoRule } from '../core/rule';
import { defineRule } from '../core/rule';
import { literalNumber } from '../core/values';
import { ISO27001_DEFAULT_POLICY } from '../../policy';

/**
 * A KMS key scheduled for deletion waits at least `minimumDays` (`PendingWindowInDays`, default 30)
 * before the key and all data encrypted under it are lost, leaving time to notice and cancel.
 * The minimum defaults to the pack's policy (30 days). cdk-nag has no equivalent.
 */
export function kmsKeyDeletionWindow(
  minimumDays: number = ISO27001_DEFAULT_POLICY.minimumKeyDeletionWindowDays,
): IsoRule {
  return defineRule('KmsKeyDeletionWindow', (node) => {
    if (node.cfnResourceType !== 'AWS::KMS::Key') return NagRuleCompliance.NOT_APPLICABLE;
    const days =
      literalNumber(viewOf(node).properties.PendingWindowInDays, 'PendingWindowInDays') ?? 30;
    return days >= minimumDays ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  });
}
