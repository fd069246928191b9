import type * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { LIFECYCLE_ROLE, TENANT_DATABASE } from '../../lambda/shared/database/names';
import { ledgerTimeline } from '../config/retention-ledger-stores';
import type { AdminHandlers } from '../constructs/lifecycle/admin-functions';
import { AdminFunctions } from '../constructs/lifecycle/admin-functions';
import { ArchiveAuditor } from '../constructs/lifecycle/archive-auditor';
import { ArchiveBucket } from '../constructs/lifecycle/archive-bucket';
import type { WorkerDatabase } from '../constructs/lifecycle/archive-workers';
import { ArchiveWorkers } from '../constructs/lifecycle/archive-workers';
import { BucketProtection } from '../constructs/core/bucket-protection';
import { LifecycleAlarms } from '../constructs/lifecycle/lifecycle-alarms';
import { SweepSchedule } from '../constructs/lifecycle/sweep-schedule';
import { PlatformKey } from '../constructs/core/platform-key';
import type { DataStack } from './data-stack';
import type { NetworkStack } from './network-stack';
import type { PlatformStackProps } from './platform-stack';
import { PlatformStack } from './platform-stack';
import type { SecurityStack } from './security-stack';
import type { StorageStack } from './storage-stack';

/** Sweep lease: above the queues' visibility (6 x 15 min) x maxReceiveCount (3) = 270 minutes. */
const LEASE_MINUTES = 720;

export interface LifecycleStackProps extends PlatformStackProps {
  readonly security: SecurityStack;
  readonly network: NetworkStack;
  /** The region's Data stack (primary region: cluster and tenant registry). */
  readonly data?: DataStack;
  readonly storage: StorageStack;
  /**
   * The user pool whose tenant users deactivation disables and reactivation enables (the Security
   * stack's, deployed before this one). Required: USER_POOL_ID is in both functions' contracts.
   */
  readonly userPool: cognito.IUserPool;
}

/** This region's cluster, for the workers: endpoint and resource id, and whether it is global. */
function workerDatabase(
  data: DataStack,
): { endpoint: WorkerDatabase; global: boolean } | undefined {
  const { cluster, secondaryCluster, globalCluster } = data.database;
  if (cluster) {
    return {
      endpoint: {
        host: cluster.clusterEndpoint.hostname,
        port: String(cluster.clusterEndpoint.port),
        clusterResourceId: cluster.clusterResourceIdentifier,
      },
      global: globalCluster !== undefined,
    };
  }
  if (secondaryCluster) {
    return {
      endpoint: {
        host: secondaryCluster.attrEndpointAddress,
        port: secondaryCluster.attrEndpointPort,
        clusterResourceId: secondaryCluster.attrDbClusterResourceId,
      },
      global: true,
    };
  }
  return undefined;
}

/**
 * Tenant closure lifecycle of one environment in one region.
 *
 * - Every region: the archive bucket (the primary's replicates to the secondary's) with its key,
 *   and the admin functions (deactivate, reactivate, status) on the region's registry (the
 *   global table or its replica).
 * - Every region with a database cluster (the primary; the secondary of a global database): the
 *   daily sweep on a schedule, the archive and purge workers with their job queues on the
 *   region's own cluster, and their alarms. They act only while the region's cluster is the
 *   writer (the sweep asks the global database, the archive worker its connection), so after a
 *   switchover or failover the new writer region claims and archives, and the old one stops.
 * - Primary region: the archive auditor role (environment-wide, named).
 */
export class LifecycleStack extends PlatformStack {
  readonly archive: ArchiveBucket;
  readonly auditor?: ArchiveAuditor;
  readonly admin: AdminFunctions;
  readonly sweep?: SweepSchedule;
  readonly workers?: ArchiveWorkers;
  readonly alarms?: LifecycleAlarms;

  constructor(scope: Construct, props: LifecycleStackProps) {
    super(scope, 'Lifecycle', {
      ...props,
      description: `Tenant closure lifecycle of ${props.target.envName} in ${props.target.region}`,
    });
    const { names, target, config } = this;
    const { retention } = config;
    const peer = target.peerRegion;
    const primary = target.role === 'primary';

    this.archive = new ArchiveBucket(this, 'Archive', {
      bucketName: names.archiveBucket,
      keyAlias: names.keyAlias('archive'),
      accessLogsBucketName: names.accessLogsBucket,
      // The retention ledger computes the backstop so that a missed purge still ends by the promise.
      expireAfterDays: ledgerTimeline(retention).backstopExpirationDays,
      replication:
        primary && peer
          ? {
              bucketName: names.inRegion(peer).archiveBucket,
              region: peer,
              keyAlias: names.inRegion(peer).keyAlias('archive'),
            }
          : undefined,
    });
    const functions = {
      logsKey: this.logsKey.key,
      logRetention: target.env.logRetentionDays as logs.RetentionDays,
      vpc: props.network.network.vpc,
    };
    const groups = props.network.functionGroups;
    // The registry is a global table: the primary's Data stack owns it, every other region has a
    // replica with the same names, encrypted with that region's database key.
    const registryTables = props.data?.registry ?? {
      table: dynamodb.TableV2.fromTableName(this, 'RegistryReplica', names.tenantTable),
      auditTable: dynamodb.TableV2.fromTableName(
        this,
        'AuditReplica',
        names.environmentWide('tenant-audit'),
      ),
    };
    this.admin = new AdminFunctions(this, 'Admin', {
      ...functions,
      securityGroup: groups.adminRegistryApi,
      userAdminSecurityGroup: groups.adminUserApi,
      registry: {
        table: registryTables.table,
        auditTable: registryTables.auditTable,
        key: props.security.keys.database.key,
      },
      graceDays: retention.closureGraceDays,
      userPool: props.userPool,
    });

    const auditorRoleName = names.environmentWide('archive-auditor');
    const auditorRoleArn = this.formatArn({
      service: 'iam',
      region: '',
      resource: 'role',
      resourceName: auditorRoleName,
    });
    // Versions, configuration and encryption of the archive protected by its policy (the workers
    // are named below).
    const archiveProtection = new BucketProtection(this.archive.bucket, {
      breakGlassRoleArn: props.security.breakGlassRoleArn,
      deploymentRoleArn: this.deploymentRoleArn,
      encryption: { kmsKeyArn: this.archive.key.keyArn },
    });
    const database = props.data ? workerDatabase(props.data) : undefined;
    if (!database) {
      if (primary) {
        throw new Error(
          `${this.stackName}: the primary Lifecycle stack needs the region's Data stack with the ` +
            'tenant registry and the primary database cluster (pass `data`).',
        );
      }
      // A secondary region without a cluster (environments.<env>.database.globalDatabase false):
      // no database to archive from, so no sweep and no workers; the archive replica only.
      this.archive.restrictReadsTo([auditorRoleArn]);
      return;
    }

    const common = {
      registry: {
        table: registryTables.table,
        auditTable: registryTables.auditTable,
        key: props.security.keys.database.key,
      },
      ...functions,
    };
    const queueKey = new PlatformKey(this, 'JobsKey', {
      alias: names.keyAlias('lifecycle-jobs'),
      description: `Encrypts the lifecycle job queues of ${target.envName} in ${target.region}`,
    }).key;

    if (primary) {
      this.auditor = new ArchiveAuditor(this, 'Auditor', {
        roleName: auditorRoleName,
        archiveBucket: this.archive.bucket,
      });
    }
    // Every region with a cluster runs the sweep and the workers on its own cluster; they act
    // only while that cluster is the global database's writer (see SweepSchedule and
    // docs/runbooks/regional-failover.md, "Lifecycle").
    const fileReplicaRegion = peer ?? target.region;
    this.workers = new ArchiveWorkers(this, 'Workers', {
      ...common,
      securityGroup: groups.archiveWorker,
      purgeSecurityGroup: groups.purgeWorker,
      archiveRetentionDays: retention.archiveRetentionDays,
      queueKey,
      archiveBucket: this.archive.bucket,
      filesBucket: { bucketName: names.filesBucket, key: props.security.keys.files.key },
      filesReplica: {
        bucketName: peer ? names.inRegion(peer).filesBucket : names.filesBucket,
        region: fileReplicaRegion,
      },
      database: database.endpoint,
      dbName: TENANT_DATABASE,
      dbUser: LIFECYCLE_ROLE,
      userPool: props.userPool,
    });
    this.sweep = new SweepSchedule(this, 'Sweep', {
      ...common,
      securityGroup: groups.lifecycleSweep,
      archiveQueue: this.workers.archiveJobs.queue,
      purgeQueue: this.workers.purgeJobs.queue,
      queueKey,
      leaseMinutes: LEASE_MINUTES,
      database: {
        clusterIdentifier: names.auroraCluster,
        globalClusterIdentifier: database.global ? names.globalCluster : undefined,
      },
    });

    const workerRoles = [this.workers.archive, this.workers.purge].map(
      (w) => w.function.role!.roleArn,
    );
    this.archive.restrictReadsTo([
      ...workerRoles,
      this.auditor?.role.roleArn ?? auditorRoleArn,
      ...(this.archive.replicationRoleArn ? [this.archive.replicationRoleArn] : []),
    ]);
    this.archive.restrictWritesTo(workerRoles);
    archiveProtection.allowVersionDeletion(...workerRoles);

    this.alarms = new LifecycleAlarms(this, 'Alarms', {
      topic: props.security.onCall.topic,
      namePrefix: names.physical('lifecycle'),
      functions: {
        deactivate: this.admin.deactivate.function,
        reactivate: this.admin.reactivate.function,
        status: this.admin.status.function,
        sweep: this.sweep.sweep.function,
        archive: this.workers.archive.function,
        purge: this.workers.purge.function,
      },
      deadLetterQueues: {
        'archive-jobs': this.workers.archiveJobs.deadLetterQueue,
        'purge-jobs': this.workers.purgeJobs.deadLetterQueue,
        'sweep-schedule': this.sweep.deadLetterQueue,
      },
    });
  }

  /** The admin API handlers (every region), for the Ingress stack's `adminHandlers`. */
  get adminHandlers(): AdminHandlers {
    return this.admin.handlers;
  }
}
