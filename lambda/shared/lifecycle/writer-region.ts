import type { RDSClient } from '@aws-sdk/client-rds';
import { DescribeGlobalClustersCommand } from '@aws-sdk/client-rds';

/**
 * Whether this region's database cluster is the writer of the environment's database, and why.
 *
 * The lifecycle runs in every region that has a cluster; only the region whose cluster is the
 * writer may claim jobs (the sweep) or archive (the archive worker), because the registry is a
 * global table (last writer wins across regions) and the archive deletes rows, which only the
 * writer accepts. The regions' VPCs are not connected, so a region can only work on its own
 * cluster: the job follows the writer by running where the writer is.
 */
export interface WriterStatus {
  readonly writer: boolean;
  /** One line for the log: what was checked and what it said. */
  readonly detail: string;
}

export type WriterCheck = () => Promise<WriterStatus>;

/** A single-region environment: its only cluster is always the writer. */
export function standaloneWriter(clusterIdentifier: string): WriterCheck {
  return async () => ({
    writer: true,
    detail: `${clusterIdentifier} is a standalone cluster (no global database): always the writer`,
  });
}

/**
 * The global database's own answer: `rds:DescribeGlobalClusters` of the region's RDS API, the
 * member whose ARN names this region's cluster, its `IsWriter`. Needs no database login (the
 * sweep has none). A global cluster that does not list this region's cluster is an error, not a
 * "no": the sweep then fails loudly instead of silently claiming nothing forever.
 */
export function globalClusterWriter(
  rds: RDSClient,
  ids: { readonly globalClusterIdentifier: string; readonly clusterIdentifier: string },
): WriterCheck {
  return async () => {
    const out = await rds.send(
      new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: ids.globalClusterIdentifier }),
    );
    const global = out.GlobalClusters?.[0];
    const suffix = `:cluster:${ids.clusterIdentifier}`;
    const member = global?.GlobalClusterMembers?.find((m) => m.DBClusterArn?.endsWith(suffix));
    if (!global || !member) {
      throw new Error(
        `global cluster ${ids.globalClusterIdentifier} does not list cluster ${ids.clusterIdentifier} ` +
          `of this region (members: ${(global?.GlobalClusterMembers ?? []).map((m) => m.DBClusterArn).join(', ') || 'none'}); ` +
          'check the Data stacks and `aws rds describe-global-clusters`',
      );
    }
    const writer = member.IsWriter === true;
    return {
      writer,
      detail: `${ids.clusterIdentifier} is ${writer ? 'the writer' : 'a secondary (read-only)'} of global cluster ${ids.globalClusterIdentifier}`,
    };
  };
}

/** Anything that runs one SQL query: a `pg` Pool or Client. */
export interface Queryable {
  query(sql: string): Promise<{ rows: Record<string, unknown>[] }>;
}

/**
 * The database's own answer, on the connection the worker is about to use:
 * `pg_is_in_recovery()` is true on a read-only instance (an Aurora reader, the instances of a
 * global database's secondary cluster, a PostgreSQL standby) and false on the writer.
 */
export async function postgresWriter(db: Queryable, host: string): Promise<WriterStatus> {
  const { rows } = await db.query('SELECT pg_is_in_recovery() AS in_recovery');
  const inRecovery = rows[0]?.in_recovery;
  if (typeof inRecovery !== 'boolean') {
    throw new Error(`pg_is_in_recovery() on ${host} returned ${String(inRecovery)}`);
  }
  return {
    writer: !inRecovery,
    detail: `${host} is ${inRecovery ? 'read-only (in recovery: not the writer)' : 'the writer'}`,
  };
}
