import { NagRuleCompliance } from 'cdk-nag';
import { isInBackupSelection } from '../backup/selection-index';
import { defineRule } from '../core/rule';

/**
 * The bucket is in an AWS Backup selection: by `Ref` / `Fn::GetAtt` in its own stack, or by the
 * ARN `arn:<partition>:s3:::<BucketName>` (wildcards allowed) in a selection of any stack of the
 * same account and region, or by tag. cdk-nag has no equivalent for S3.
 */
export const S3BucketInBackupSelection = defineRule('S3BucketInBackupSelection', (node) => {
  if (node.cfnResourceType !== 'AWS::S3::Bucket') return NagRuleCompliance.NOT_APPLICABLE;
  const selected = isInBackupSelection(
    node,
    'BucketName',
    (name, t) => `arn:${t.partition}:s3:::${name}`,
  );
  return selected ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
