import { NagRuleCompliance } from 'cdk-nag';
import { viewOf } from '../core/resource-view';
import { defineRule } from '../core/rule';
import { literalBoolean, literalNumber, literalObject, literalString } from '../core/values';

/**
 * The bucket has Object Lock enabled with a default retention (GOVERNANCE or COMPLIANCE mode and
 * a positive number of days or years), so new object versions are write-once.
 *
 * Own rule: cdk-nag's `S3BucketDefaultLockEnabled` checks only that Object Lock is enabled; a
 * bucket with Object Lock but no default retention protects nothing unless every writer sets a
 * retention on every object.
 */
export const S3ObjectLockRetention = defineRule('S3ObjectLockRetention', (node) => {
  if (node.cfnResourceType !== 'AWS::S3::Bucket') return NagRuleCompliance.NOT_APPLICABLE;
  const props = viewOf(node).properties;
  if (literalBoolean(props.ObjectLockEnabled, 'ObjectLockEnabled') !== true) {
    return NagRuleCompliance.NON_COMPLIANT;
  }
  const config = literalObject(props.ObjectLockConfiguration, 'ObjectLockConfiguration');
  const rule = literalObject(config?.Rule, 'ObjectLockConfiguration.Rule');
  const retention = literalObject(
    rule?.DefaultRetention,
    'ObjectLockConfiguration.Rule.DefaultRetention',
  );
  if (!retention) return NagRuleCompliance.NON_COMPLIANT;
  const path = 'ObjectLockConfiguration.Rule.DefaultRetention';
  const mode = literalString(retention.Mode, `${path}.Mode`);
  const days = literalNumber(retention.Days, `${path}.Days`) ?? 0;
  const years = literalNumber(retention.Years, `${path}.Years`) ?? 0;
  const modeOk = mode === 'COMPLIANCE' || mode === 'GOVERNANCE';
  return modeOk && (days > 0 || years > 0)
    ? NagRuleCompliance.COMPLIANT
    : NagRuleCompliance.NON_COMPLIANT;
});
