import { NagRuleCompliance } from 'cdk-nag';
import { viewOf } from '../core/resource-view';
import { defineRule } from '../core/rule';
import { literalBoolean, literalObject } from '../core/values';

const SETTINGS = [
  'BlockPublicAcls',
  'BlockPublicPolicy',
  'IgnorePublicAcls',
  'RestrictPublicBuckets',
];

/**
 * The bucket sets all four public access block settings to true.
 *
 * Own rule: cdk-nag's `S3BucketLevelPublicAccessProhibited` passes a bucket with no
 * `PublicAccessBlockConfiguration` at all, relying on an account default the template does not
 * show; the template must carry the evidence. Findings name each setting that is not true.
 */
export const S3BucketPublicAccessBlocked = defineRule('S3BucketPublicAccessBlocked', (node) => {
  if (node.cfnResourceType !== 'AWS::S3::Bucket') return NagRuleCompliance.NOT_APPLICABLE;
  const block = literalObject(
    viewOf(node).properties.PublicAccessBlockConfiguration,
    'PublicAccessBlockConfiguration',
  );
  if (!block) return NagRuleCompliance.NON_COMPLIANT;
  const open = SETTINGS.filter(
    (key) => literalBoolean(block[key], `PublicAccessBlockConfiguration.${key}`) !== true,
  );
  return open.length === 0 ? NagRuleCompliance.COMPLIANT : open;
});
