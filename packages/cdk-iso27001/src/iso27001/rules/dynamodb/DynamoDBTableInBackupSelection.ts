import { NagRuleCompliance } from 'cdk-nag';
import { isInBackupSelection } from '../backup/selection-index';
import { defineRule } from '../core/rule';

/**
 * The DynamoDB table (or global table) is in an AWS Backup selection: by `Ref` / `Fn::GetAtt` in
 * its own stack, or by the ARN `arn:<partition>:dynamodb:<region>:<account>:table/<TableName>`
 * (wildcards allowed) in a selection of any stack of the same account and region, or by tag.
 *
 * Own rule: cdk-nag's `DynamoDBInBackupPlan` only looks at selections in the same stack that
 * reference the logical id, so a platform that backs up by deterministic name from a Backup
 * stack always fails it.
 */
export const DynamoDBTableInBackupSelection = defineRule(
  'DynamoDBTableInBackupSelection',
  (node) => {
    if (!['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable'].includes(node.cfnResourceType)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const selected = isInBackupSelection(
      node,
      'TableName',
      (name, t) => `arn:${t.partition}:dynamodb:${t.region}:${t.account}:table/${name}`,
    );
    return selected ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
);
