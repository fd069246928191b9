import type { RestoreDBClusterToPointInTimeMessage } from '@aws-sdk/client-rds';
import type { LiveClusterSettings } from './db-cluster';

export type RestoreType = 'copy-on-write' | 'full-copy';

export const RESTORED_BY = 'npm run restore';

/**
 * Tags on every restored cluster, so that nobody mistakes it for the live one, and so that a rerun
 * after an interruption recognises its own restore and resumes it.
 */
export function restoreTags(source: string, detail: string) {
  return [
    { Key: 'restored-from', Value: source },
    { Key: 'restore-detail', Value: detail },
    { Key: 'restored-by', Value: RESTORED_BY },
  ];
}

/** The restore-detail tag of a point-in-time restore. */
export const pointInTimeDetail = (time: Date) => `point-in-time ${time.toISOString()}`;

/** RestoreDBClusterToPointInTime: a new cluster, the live cluster's network, key, auth and protection. */
export function pointInTimeRequest(
  live: LiveClusterSettings,
  targetId: string,
  time: Date,
  restoreType: RestoreType,
): RestoreDBClusterToPointInTimeMessage {
  return {
    DBClusterIdentifier: targetId,
    SourceDBClusterIdentifier: live.id,
    RestoreToTime: time,
    RestoreType: restoreType,
    DBSubnetGroupName: live.subnetGroup,
    VpcSecurityGroupIds: live.securityGroupIds,
    KmsKeyId: live.kmsKeyId,
    EnableIAMDatabaseAuthentication: live.iamAuth,
    DeletionProtection: live.deletionProtection,
    DBClusterParameterGroupName: live.parameterGroup,
    ServerlessV2ScalingConfiguration: live.serverlessV2,
    CopyTagsToSnapshot: true,
    Tags: restoreTags(live.id, pointInTimeDetail(time)),
  };
}

/**
 * StartRestoreJob metadata: the recovery point's own (GetRecoveryPointRestoreMetadata) with the
 * new cluster identifier and the live cluster's subnet group, security groups and KMS key.
 * Availability zones are dropped: the subnet group decides them, and a cross-region copy's
 * zones belong to the other region.
 */
export function backupRestoreMetadata(
  recorded: Record<string, string>,
  live: LiveClusterSettings,
  targetId: string,
): Record<string, string> {
  const metadata: Record<string, string> = { ...recorded };
  delete metadata.AvailabilityZones;
  metadata.DBClusterIdentifier = targetId;
  if (live.subnetGroup) metadata.DBSubnetGroupName = live.subnetGroup;
  if (live.securityGroupIds.length > 0) {
    metadata.VpcSecurityGroupIds = JSON.stringify(live.securityGroupIds);
  }
  if (live.kmsKeyId) metadata.KmsKeyId = live.kmsKeyId;
  metadata.EnableIAMDatabaseAuthentication = String(live.iamAuth);
  metadata.DeletionProtection = String(live.deletionProtection);
  return metadata;
}
