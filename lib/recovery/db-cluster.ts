import type { DBCluster, DBInstance, RDSClient } from '@aws-sdk/client-rds';
import {
  CreateDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  ModifyDBClusterCommand,
} from '@aws-sdk/client-rds';
import type { ChangeGate } from './api-calls';
import { waitFor } from './progress';
import type { RecoveryRuntime } from './runtime';

/** The cluster, or undefined when it does not exist. */
export async function findCluster(rds: RDSClient, id: string): Promise<DBCluster | undefined> {
  try {
    const out = await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }));
    return out.DBClusters?.[0];
  } catch (error) {
    if ((error as Error).name === 'DBClusterNotFoundFault') return undefined;
    throw error;
  }
}

/** The cluster's instances (writer first). */
export async function clusterInstances(rds: RDSClient, id: string): Promise<DBInstance[]> {
  const out = await rds.send(
    new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: [id] }] }),
  );
  return out.DBInstances ?? [];
}

/** Settings of the live cluster that a restored cluster keeps (network, key, auth, protection). */
export interface LiveClusterSettings {
  readonly id: string;
  readonly arn: string;
  readonly engine: string;
  readonly subnetGroup?: string;
  readonly securityGroupIds: string[];
  readonly kmsKeyId?: string;
  readonly iamAuth: boolean;
  readonly deletionProtection: boolean;
  readonly parameterGroup?: string;
  readonly serverlessV2?: { MinCapacity?: number; MaxCapacity?: number };
  readonly earliestRestorableTime?: Date;
  readonly latestRestorableTime?: Date;
}

export function liveSettings(cluster: DBCluster): LiveClusterSettings {
  const scaling = cluster.ServerlessV2ScalingConfiguration;
  return {
    id: cluster.DBClusterIdentifier ?? '',
    arn: cluster.DBClusterArn ?? '',
    engine: cluster.Engine ?? 'aurora-postgresql',
    subnetGroup: cluster.DBSubnetGroup,
    securityGroupIds: (cluster.VpcSecurityGroups ?? [])
      .map((g) => g.VpcSecurityGroupId)
      .filter((id): id is string => Boolean(id)),
    kmsKeyId: cluster.KmsKeyId,
    iamAuth: cluster.IAMDatabaseAuthenticationEnabled ?? false,
    deletionProtection: cluster.DeletionProtection ?? false,
    parameterGroup: cluster.DBClusterParameterGroup,
    serverlessV2: scaling
      ? { MinCapacity: scaling.MinCapacity, MaxCapacity: scaling.MaxCapacity }
      : undefined,
    earliestRestorableTime: cluster.EarliestRestorableTime,
    latestRestorableTime: cluster.LatestRestorableTime,
  };
}

const FAILED_CLUSTER_STATES = [
  'failed',
  'inaccessible-encryption-credentials',
  'incompatible-restore',
];

export async function waitForClusterAvailable(
  runtime: RecoveryRuntime,
  rds: RDSClient,
  id: string,
): Promise<DBCluster> {
  let cluster: DBCluster | undefined;
  await waitFor(
    runtime,
    {
      what: `cluster ${id}`,
      fix: `look at the cluster's events: aws rds describe-events --source-type db-cluster --source-identifier ${id}`,
    },
    async () => {
      cluster = await findCluster(rds, id);
      const status = cluster?.Status ?? 'not visible yet';
      return {
        status,
        done: status === 'available',
        failure: FAILED_CLUSTER_STATES.includes(status) ? `status ${status}` : undefined,
      };
    },
  );
  return cluster as DBCluster;
}

/**
 * A restored Aurora cluster has no instance: give it one, in the live cluster's class, and wait
 * until it is available. A Serverless v2 instance needs the cluster's scaling range first.
 */
export async function addInstance(
  runtime: RecoveryRuntime,
  gate: ChangeGate,
  rds: RDSClient,
  cluster: { id: string; engine: string; hasServerlessScaling: boolean },
  live: LiveClusterSettings,
  instanceClass: string,
): Promise<string> {
  const instanceId = `${cluster.id}-1`;
  if (instanceClass === 'db.serverless' && !cluster.hasServerlessScaling && live.serverlessV2) {
    const modify = {
      DBClusterIdentifier: cluster.id,
      ServerlessV2ScalingConfiguration: live.serverlessV2,
      ApplyImmediately: true,
    };
    await gate.run('rds:ModifyDBCluster', modify, () =>
      rds.send(new ModifyDBClusterCommand(modify)),
    );
    if (!gate.dryRun) await waitForClusterAvailable(runtime, rds, cluster.id);
  }
  const create = {
    DBInstanceIdentifier: instanceId,
    DBClusterIdentifier: cluster.id,
    Engine: cluster.engine,
    DBInstanceClass: instanceClass,
    PubliclyAccessible: false,
  };
  await gate.run('rds:CreateDBInstance', create, () =>
    rds.send(new CreateDBInstanceCommand(create)),
  );
  if (gate.dryRun) return instanceId;
  await waitFor(
    runtime,
    {
      what: `instance ${instanceId}`,
      fix: `look at the instance's events: aws rds describe-events --source-type db-instance --source-identifier ${instanceId}`,
    },
    async () => {
      const out = await rds.send(
        new DescribeDBInstancesCommand({ DBInstanceIdentifier: instanceId }),
      );
      const status = out.DBInstances?.[0]?.DBInstanceStatus ?? 'not visible yet';
      return {
        status,
        done: status === 'available',
        failure: ['failed', 'incompatible-parameters', 'storage-full'].includes(status)
          ? `status ${status}`
          : undefined,
      };
    },
  );
  return instanceId;
}
