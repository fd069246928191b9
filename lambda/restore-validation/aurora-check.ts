import type { DBCluster, RDSClient } from '@aws-sdk/client-rds';
import {
  CreateDBInstanceCommand,
  DeleteDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  ModifyDBClusterCommand,
} from '@aws-sdk/client-rds';
import type { CheckResult } from './check-result';
import { judgeRestoredDatabase } from './database-judgement';
import type { DatabaseQuery } from './database-query';

/** Tag on the instance this function adds: which restore job it validates. */
export const RESTORE_JOB_TAG = 'restore-job-id';
/** Tag on the instance this function adds, so that it deletes only its own. */
export const CREATED_BY_TAG = { Key: 'created-by', Value: 'restore-validation' } as const;

export async function describeCluster(rds: RDSClient, clusterArn: string): Promise<DBCluster> {
  const out = await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: clusterArn }));
  const cluster = out.DBClusters?.[0];
  if (!cluster) throw new Error(`restored cluster ${clusterArn} not found`);
  return cluster;
}

export function writerOf(cluster: DBCluster): string | undefined {
  return cluster.DBClusterMembers?.find((m) => m.IsClusterWriter)?.DBInstanceIdentifier;
}

/**
 * AWS Backup restores an Aurora cluster without instances. Add one (small class, not public, in
 * the cluster's subnets and security groups), tagged with the restore job, and turn IAM database
 * authentication on if the restore left it off. Its creation event brings this function back.
 */
export async function addValidationInstance(
  rds: RDSClient,
  cluster: DBCluster,
  instanceId: string,
  instanceClass: string,
  restoreJobId: string,
): Promise<void> {
  if (!cluster.IAMDatabaseAuthenticationEnabled) {
    await rds.send(
      new ModifyDBClusterCommand({
        DBClusterIdentifier: cluster.DBClusterIdentifier,
        EnableIAMDatabaseAuthentication: true,
        ApplyImmediately: true,
      }),
    );
  }
  await rds.send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: instanceId,
      DBClusterIdentifier: cluster.DBClusterIdentifier,
      DBInstanceClass: instanceClass,
      Engine: cluster.Engine,
      PubliclyAccessible: false,
      Tags: [{ Key: RESTORE_JOB_TAG, Value: restoreJobId }, { ...CREATED_BY_TAG }],
    }),
  );
}

/**
 * The restored cluster is available, answers the validation queries, and holds what the live
 * database held (see `judgeRestoredDatabase`).
 */
export async function checkRestoredCluster(
  cluster: DBCluster,
  query: DatabaseQuery,
  login: { database: string; user: string },
): Promise<CheckResult> {
  const id = cluster.DBClusterIdentifier ?? '(unknown)';
  if (cluster.Status !== 'available') {
    return {
      ok: false,
      message: `restored cluster ${id} is ${cluster.Status ?? 'in no status'}, not available`,
    };
  }
  if (!cluster.Endpoint || !cluster.Port) {
    return { ok: false, message: `restored cluster ${id} has no endpoint` };
  }
  try {
    const result = await query({
      host: cluster.Endpoint,
      port: cluster.Port,
      database: login.database,
      user: login.user,
    });
    return judgeRestoredDatabase(id, result);
  } catch (error) {
    return {
      ok: false,
      message: `query on restored cluster ${id} failed: ${(error as Error).message}`,
    };
  }
}

/** The instance this function created: its restore job and cluster, or undefined if not ours. */
export async function ownInstance(
  rds: RDSClient,
  instanceId: string,
): Promise<{ restoreJobId: string; clusterId: string } | undefined> {
  const out = await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: instanceId }));
  const instance = out.DBInstances?.[0];
  const tags = instance?.TagList ?? [];
  const ours = tags.some((t) => t.Key === CREATED_BY_TAG.Key && t.Value === CREATED_BY_TAG.Value);
  const restoreJobId = tags.find((t) => t.Key === RESTORE_JOB_TAG)?.Value;
  if (!instance || !ours || !restoreJobId || !instance.DBClusterIdentifier) return undefined;
  return { restoreJobId, clusterId: instance.DBClusterIdentifier };
}

/** Remove the added instance, so that AWS Backup can delete the restored cluster after the test. */
export async function removeValidationInstance(rds: RDSClient, instanceId: string): Promise<void> {
  await rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: instanceId }));
}
