import { NagRuleCompliance } from 'cdk-nag';
import { viewOf } from '../core/resource-view';
import { defineRule } from '../core/rule';
import { literalList, literalObject, literalString } from '../core/values';

const EXPIRY_KEYS = [
  'ExpirationInDays',
  'ExpirationDate',
  'NoncurrentVersionExpiration',
  'NoncurrentVersionExpirationInDays',
];

/**
 * The bucket has at least one enabled lifecycle rule that expires objects or noncurrent versions,
 * so data is deleted when no longer required instead of kept forever.
 */
export const S3LifecycleExpiration = defineRule('S3LifecycleExpiration', (node) => {
  if (node.cfnResourceType !== 'AWS::S3::Bucket') return NagRuleCompliance.NOT_APPLICABLE;
  const lifecycle = literalObject(
    viewOf(node).properties.LifecycleConfiguration,
    'LifecycleConfiguration',
  );
  const rules = literalList(lifecycle?.Rules, 'LifecycleConfiguration.Rules');
  const expiring = rules.some((item, i) => {
    const rule = literalObject(item, `LifecycleConfiguration.Rules.${i}`) ?? {};
    const status = literalString(rule.Status, `LifecycleConfiguration.Rules.${i}.Status`);
    return status === 'Enabled' && EXPIRY_KEYS.some((key) => rule[key] !== undefined);
  });
  return expiring ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
