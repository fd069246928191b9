import type { CfnResource } from 'aws-cdk-lib';
import { viewOf } from '../core/resource-view';

/** The CloudFormation types that hold records: databases, tables, buckets, backup vaults. */
export const DATA_STORE_TYPES = [
  'AWS::RDS::DBCluster',
  'AWS::RDS::DBInstance',
  'AWS::S3::Bucket',
  'AWS::DynamoDB::Table',
  'AWS::DynamoDB::GlobalTable',
  'AWS::Backup::BackupVault',
];

/**
 * Whether the resource is a data store whose removal policies matter. A DB instance that belongs
 * to a cluster holds no data of its own (the cluster's storage does), so it is not one.
 */
export function isDataStore(node: CfnResource): boolean {
  if (!DATA_STORE_TYPES.includes(node.cfnResourceType)) return false;
  if (node.cfnResourceType !== 'AWS::RDS::DBInstance') return true;
  return viewOf(node).properties.DBClusterIdentifier === undefined;
}

/** The removal policies that keep the data: Retain, RetainExceptOnCreate, and Snapshot for RDS. */
export function keepsData(policy: string | undefined, type: string): boolean {
  if (policy === 'Retain' || policy === 'RetainExceptOnCreate') return true;
  return policy === 'Snapshot' && type.startsWith('AWS::RDS::');
}
