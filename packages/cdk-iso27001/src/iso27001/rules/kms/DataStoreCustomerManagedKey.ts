import type { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { viewOf } from '../core/resource-view';
import { defineRule } from '../core/rule';
import { literalBoolean, literalList, literalObject, literalString } from '../core/values';
import { keyKindOf } from './key-reference';

type Props = Record<string, unknown>;

/** The findings of one store type: the property paths not encrypted with a customer key. */
type StoreCheck = (node: CfnResource, props: Props) => string[];

const key = (node: CfnResource, value: unknown, what: string): string[] =>
  keyKindOf(node, value, what) === 'customer' ? [] : [what];

const rds: StoreCheck = (node, props) => {
  if (props.DBClusterIdentifier !== undefined && node.cfnResourceType === 'AWS::RDS::DBInstance')
    return [];
  if (literalBoolean(props.StorageEncrypted, 'StorageEncrypted') !== true)
    return ['StorageEncrypted'];
  return key(node, props.KmsKeyId, 'KmsKeyId');
};

const CHECKS: Record<string, StoreCheck> = {
  'AWS::S3::Bucket': (node, props) => {
    const encryption = literalObject(props.BucketEncryption, 'BucketEncryption');
    const path = 'BucketEncryption.ServerSideEncryptionConfiguration';
    const rules = literalList(encryption?.ServerSideEncryptionConfiguration, path);
    if (rules.length === 0) return ['BucketEncryption'];
    return rules.flatMap((item, i) => {
      const byDefault = literalObject(
        literalObject(item, `${path}.${i}`)?.ServerSideEncryptionByDefault,
        `${path}.${i}.ServerSideEncryptionByDefault`,
      );
      const algorithm = literalString(byDefault?.SSEAlgorithm, `${path}.${i}.SSEAlgorithm`);
      if (algorithm !== 'aws:kms' && algorithm !== 'aws:kms:dsse')
        return [`${path}.${i}.SSEAlgorithm`];
      return key(node, byDefault?.KMSMasterKeyID, `${path}.${i}.KMSMasterKeyID`);
    });
  },
  'AWS::RDS::DBCluster': rds,
  'AWS::RDS::DBInstance': rds,
  'AWS::DynamoDB::Table': (node, props) => {
    const sse = literalObject(props.SSESpecification, 'SSESpecification');
    if (literalBoolean(sse?.SSEEnabled, 'SSESpecification.SSEEnabled') !== true)
      return ['SSESpecification'];
    return key(node, sse?.KMSMasterKeyId, 'SSESpecification.KMSMasterKeyId');
  },
  'AWS::DynamoDB::GlobalTable': (node, props) => {
    const sse = literalObject(props.SSESpecification, 'SSESpecification');
    if (literalString(sse?.SSEType, 'SSESpecification.SSEType') !== 'KMS')
      return ['SSESpecification.SSEType'];
    return literalList(props.Replicas, 'Replicas').flatMap((item, i) => {
      const replicaSse = literalObject(
        literalObject(item, `Replicas.${i}`)?.SSESpecification,
        `Replicas.${i}.SSESpecification`,
      );
      return key(node, replicaSse?.KMSMasterKeyId, `Replicas.${i}.SSESpecification.KMSMasterKeyId`);
    });
  },
  'AWS::Logs::LogGroup': (node, props) => key(node, props.KmsKeyId, 'KmsKeyId'),
  'AWS::SNS::Topic': (node, props) => key(node, props.KmsMasterKeyId, 'KmsMasterKeyId'),
  'AWS::SQS::Queue': (node, props) => key(node, props.KmsMasterKeyId, 'KmsMasterKeyId'),
  'AWS::Backup::BackupVault': (node, props) =>
    key(node, props.EncryptionKeyArn, 'EncryptionKeyArn'),
};

/** The CloudFormation types this rule covers. */
export const CUSTOMER_KEY_STORE_TYPES = Object.keys(CHECKS);

/**
 * Every data store is encrypted with a customer managed KMS key (one the organisation controls,
 * rotates and can revoke): S3 buckets (SSE-KMS / DSSE-KMS with a key id), RDS clusters and
 * standalone instances, DynamoDB tables and global table replicas, log groups, SNS topics, SQS
 * queues and backup vaults. Findings name the property that is missing or names an AWS managed
 * key (`alias/aws/...`).
 *
 * Own rule: cdk-nag's `SNSEncryptedKMS` accepts `alias/aws/sns`, `SQSQueueSSE` accepts
 * SQS-managed SSE, `S3DefaultEncryptionKMS` accepts the AWS managed `aws/s3` key, and
 * `RDSStorageEncrypted` accepts the `aws/rds` key.
 */
export const DataStoreCustomerManagedKey = defineRule('DataStoreCustomerManagedKey', (node) => {
  const check = CHECKS[node.cfnResourceType];
  if (!check) return NagRuleCompliance.NOT_APPLICABLE;
  const findings = check(node, viewOf(node).properties);
  return findings.length === 0 ? NagRuleCompliance.COMPLIANT : findings;
});
