import { NagRuleCompliance } from 'cdk-nag';
import { viewOf } from '../core/resource-view';
import type { IsoRule } from '../core/rule';
import { defineRule } from '../core/rule';
import { literalNumber } from '../core/values';

/**
 * A KMS key scheduled for deletion waits at least `minimumDays` (`PendingWindowInDays`, default 30)
 * before the key and all data encrypted under it are lost, leaving time to notice and cancel.
 * Not applicable when no minimum is configured. cdk-nag has no equivalent.
 */
export function kmsKeyDeletionWindow(minimumDays: number | undefined): IsoRule {
  return defineRule('KmsKeyDeletionWindow', (node) => {
    if (node.cfnResourceType !== 'AWS::KMS::Key' || minimumDays === undefined) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const days =
      literalNumber(viewOf(node).properties.PendingWindowInDays, 'PendingWindowInDays') ?? 30;
    return days >= minimumDays ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  });
}
