import type { BackupClient, DescribeRecoveryPointOutput } from '@aws-sdk/client-backup';
import { DescribeRecoveryPointCommand } from '@aws-sdk/client-backup';
import { InputError, RefusedError } from './errors';
import { parseArn } from './input';
import type { RecoveryTarget } from './target';
import { regionsOf, resourceArns } from './target';

const OPTION = '--recovery-point';

/** AWS Backup's ResourceType for an Aurora cluster, and what else it might be, in words. */
const TYPE_WORDS: Record<string, string> = {
  Aurora: 'an Aurora cluster',
  RDS: 'an RDS instance',
  S3: 'an S3 bucket (restore files with restore-files)',
  DynamoDB: 'a DynamoDB table (the tenant registry; restore it with the AWS Backup console)',
  EBS: 'an EBS volume',
  EC2: 'an EC2 instance',
  EFS: 'an EFS file system',
};

/** The ARN's own checks (no AWS call): an ARN, in the target's region and account. */
export function checkRecoveryPointArn(target: RecoveryTarget, arn: string): void {
  const parsed = parseArn(OPTION, arn);
  if (parsed.region !== target.region) {
    throw new InputError(
      OPTION,
      `the recovery point is in ${parsed.region}, not in --region ${target.region}`,
      `pass --region ${parsed.region} if that region belongs to ${target.envName}, or pick a point from \`points --env ${target.envName} --region ${target.region} --resource aurora\``,
    );
  }
  if (parsed.account !== target.account) {
    throw new InputError(
      OPTION,
      `the recovery point is in account ${parsed.account}, not in ${target.envName}'s account ${target.account}`,
      `pick a recovery point of ${target.envName}: \`points --env ${target.envName} --region ${target.region} --resource aurora\``,
    );
  }
}

/**
 * Check that a recovery point ARN is one of this environment's Aurora recovery points in the
 * region's vault, usable (COMPLETED or AVAILABLE): DescribeRecoveryPoint tells the resource type and source resource.
 */
export async function requireAuroraRecoveryPoint(
  backup: BackupClient,
  target: RecoveryTarget,
  arn: string,
): Promise<DescribeRecoveryPointOutput> {
  checkRecoveryPointArn(target, arn);
  let point: DescribeRecoveryPointOutput;
  try {
    point = await backup.send(
      new DescribeRecoveryPointCommand({
        BackupVaultName: target.names.backupVault,
        RecoveryPointArn: arn,
      }),
    );
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') {
      throw new InputError(
        OPTION,
        `no such recovery point in vault ${target.names.backupVault}`,
        `copy an ARN from \`points --env ${target.envName} --region ${target.region} --resource aurora\``,
      );
    }
    throw error;
  }
  const type = point.ResourceType ?? 'unknown';
  const resourceArn = point.ResourceArn ?? '';
  if (type !== 'Aurora' || !/^arn:[^:]+:rds:[^:]*:\d*:cluster:/.test(resourceArn)) {
    throw new InputError(
      OPTION,
      `is a recovery point of ${TYPE_WORDS[type] ?? `a ${type} resource`} (${resourceArn || 'unknown resource'}), not of an Aurora cluster`,
      `restore-db needs an Aurora recovery point: \`points --env ${target.envName} --region ${target.region} --resource aurora\``,
    );
  }
  const ours = regionsOf(target.env).map((r) => resourceArns(target, r).auroraCluster);
  if (!ours.includes(resourceArn)) {
    throw new RefusedError(
      `the recovery point is of ${resourceArn}, not of ${target.envName}'s Aurora cluster (${ours.join(' or ')})`,
      `pick a recovery point of ${target.envName}: \`points --env ${target.envName} --region ${target.region} --resource aurora\``,
    );
  }
  if (point.Status !== 'COMPLETED' && point.Status !== 'AVAILABLE') {
    throw new RefusedError(
      `the recovery point's status is ${point.Status ?? 'unknown'}${point.StatusMessage ? ` (${point.StatusMessage})` : ''}, not COMPLETED or AVAILABLE`,
      'pick a COMPLETED or AVAILABLE recovery point from `points`',
    );
  }
  return point;
}
