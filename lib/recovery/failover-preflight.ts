import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { GlobalCluster, RDSClient } from '@aws-sdk/client-rds';
import { DescribeGlobalClustersCommand } from '@aws-sdk/client-rds';
import { findCluster } from './db-cluster';
import { RefusedError } from './errors';
import type { RecoveryRuntime } from './runtime';
import type { RecoveryTarget } from './target';
import { resourceArns } from './target';

/** Default replication lag threshold for a planned switchover (ms); typical lag is well under 1 s. */
export const DEFAULT_MAX_LAG_MS = 1000;

export interface PreflightCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface GlobalTopology {
  readonly global: GlobalCluster;
  readonly targetArn: string;
  readonly writerArn?: string;
  readonly writerRegion?: string;
}

export async function describeGlobal(
  rds: RDSClient,
  id: string,
): Promise<GlobalCluster | undefined> {
  try {
    const out = await rds.send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: id }));
    return out.GlobalClusters?.[0];
  } catch (error) {
    if ((error as Error).name === 'GlobalClusterNotFoundFault') return undefined;
    throw error;
  }
}

/** The global cluster, refusing when the target region's cluster is not a secondary member. */
export async function globalTopology(
  rds: RDSClient,
  target: RecoveryTarget,
): Promise<GlobalTopology> {
  const id = target.names.globalCluster;
  const global = await describeGlobal(rds, id);
  if (!global) {
    throw new RefusedError(
      `global cluster ${id} not found (asked from ${target.region})`,
      `check --env and your AWS credentials (account ${target.account})`,
    );
  }
  const targetArn = resourceArns(target).auroraCluster;
  const members = global.GlobalClusterMembers ?? [];
  const writer = members.find((m) => m.IsWriter);
  const member = members.find((m) => m.DBClusterArn === targetArn);
  if (!member) {
    throw new RefusedError(
      `${target.names.auroraCluster} in ${target.region} is not a member of ${id} (members: ${members.map((m) => m.DBClusterArn).join(', ') || 'none'})`,
      'pass --to with the region of a secondary cluster of the global database',
    );
  }
  if (member.IsWriter) {
    throw new RefusedError(
      `${target.region} already hosts the writer (primary) of ${id}; there is nothing to fail over to`,
      `to move the writer away, pass --to with the other region${target.peerRegion ? ` (${target.peerRegion})` : ''}`,
    );
  }
  return {
    global,
    targetArn,
    writerArn: writer?.DBClusterArn,
    writerRegion: writer?.DBClusterArn?.split(':')[3],
  };
}

/** Latest AuroraGlobalDBReplicationLag (ms) of the secondary cluster, from the last 10 minutes. */
export async function replicationLagMs(
  cloudWatch: CloudWatchClient,
  clusterId: string,
  now: Date,
): Promise<number | undefined> {
  const out = await cloudWatch.send(
    new GetMetricDataCommand({
      StartTime: new Date(now.getTime() - 10 * 60_000),
      EndTime: now,
      ScanBy: 'TimestampDescending',
      MetricDataQueries: [
        {
          Id: 'lag',
          MetricStat: {
            Metric: {
              Namespace: 'AWS/RDS',
              MetricName: 'AuroraGlobalDBReplicationLag',
              Dimensions: [{ Name: 'DBClusterIdentifier', Value: clusterId }],
            },
            Period: 60,
            Stat: 'Maximum',
          },
        },
      ],
    }),
  );
  const result = out.MetricDataResults?.find((r) => r.Id === 'lag');
  const values = result?.Values ?? [];
  return values.length > 0 ? values[0] : undefined;
}

/** Checks a planned switchover needs: everything available, no failover running, lag low. */
export async function plannedPreflight(
  runtime: RecoveryRuntime,
  target: RecoveryTarget,
  topology: GlobalTopology,
  maxLagMs: number,
): Promise<PreflightCheck[]> {
  const { global, writerRegion } = topology;
  const checks: PreflightCheck[] = [];
  checks.push({
    name: 'global cluster available',
    ok: global.Status === 'available',
    detail: `${global.GlobalClusterIdentifier} is ${global.Status ?? 'unknown'}`,
  });
  checks.push({
    name: 'no failover in progress',
    ok: !global.FailoverState?.Status,
    detail: global.FailoverState?.Status
      ? `a ${global.FailoverState.IsDataLossAllowed ? 'failover' : 'switchover'} is ${global.FailoverState.Status}`
      : 'none',
  });
  const targetCluster = await findCluster(
    runtime.clients.rds(target.region),
    target.names.auroraCluster,
  );
  checks.push({
    name: `secondary cluster available (${target.region})`,
    ok: targetCluster?.Status === 'available',
    detail: `${target.names.auroraCluster} is ${targetCluster?.Status ?? 'not found'}`,
  });
  if (writerRegion) {
    const writerId = target.names.inRegion(writerRegion).auroraCluster;
    const writer = await findCluster(runtime.clients.rds(writerRegion), writerId);
    checks.push({
      name: `primary cluster available (${writerRegion})`,
      ok: writer?.Status === 'available',
      detail: `${writerId} is ${writer?.Status ?? 'not found'}`,
    });
  } else {
    checks.push({
      name: 'primary cluster present',
      ok: false,
      detail: 'the global cluster has no writer',
    });
  }
  const lag = await replicationLagMs(
    runtime.clients.cloudWatch(target.region),
    target.names.auroraCluster,
    runtime.now(),
  );
  checks.push({
    name: `replication lag below ${maxLagMs} ms`,
    ok: lag !== undefined && lag < maxLagMs,
    detail:
      lag === undefined
        ? 'no AuroraGlobalDBReplicationLag datapoint in the last 10 minutes (is the secondary replicating?)'
        : `${lag} ms`,
  });
  return checks;
}
