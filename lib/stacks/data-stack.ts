import { ArnFormat, Tags } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { AuroraRole } from '../constructs/data/aurora-database';
import { AuroraDatabase } from '../constructs/data/aurora-database';
import { BACKUP_AUDIT_TAG } from '../constructs/core/backup-audit-tag';
import { DatabaseAlarms } from '../constructs/data/database-alarms';
import { DatabaseBootstrap } from '../constructs/data/database-bootstrap';
import { TenantRegistry } from '../constructs/data/tenant-registry';
import type { NetworkStack } from './network-stack';
import type { PlatformStackProps } from './platform-stack';
import { PlatformStack, stackId } from './platform-stack';
import type { SecurityStack } from './security-stack';

export interface DataStackProps extends PlatformStackProps {
  readonly network: NetworkStack;
  readonly security: SecurityStack;
}

/** How the database of an environment and region takes part: see `AuroraRole`. */
export function auroraRole(props: PlatformStackProps): AuroraRole {
  if (!props.target.env.database.globalDatabase) return 'standalone';
  return props.target.role === 'primary' ? 'primary' : 'secondary';
}

/**
 * Aurora PostgreSQL (standalone, or the primary or secondary of the environment's global
 * database) with its alarms, and, in the primary region, the tenant registry with replicas.
 */
export class DataStack extends PlatformStack {
  readonly database: AuroraDatabase;
  readonly registry?: TenantRegistry;
  readonly alarms: DatabaseAlarms;

  constructor(scope: Construct, props: DataStackProps) {
    super(scope, 'Data', {
      ...props,
      description: `Data of ${props.target.envName} in ${props.target.region}: Aurora PostgreSQL, tenant registry`,
    });
    const { target, names } = this;
    const { database } = target.env;
    const role = auroraRole(props);
    const dbKey = props.security.keys.database.key;
    const peer = target.peerRegion;

    this.database = new AuroraDatabase(this, 'Aurora', {
      role,
      vpc: props.network.network.vpc,
      subnetGroupName: names.physical('db-subnets'),
      clientSecurityGroups: [
        props.network.applicationSecurityGroup,
        ...props.network.databaseClientGroups,
      ],
      clusterIdentifier: names.auroraCluster,
      globalClusterIdentifier: role === 'standalone' ? undefined : names.globalCluster,
      engineVersion: database.engineVersion,
      instanceClass: database.instanceClass,
      readers: database.readers,
      availabilityZones: target.availabilityZones,
      key: dbKey,
      backupRetentionDays: database.backupRetentionDays,
      logRetention: target.env.logRetentionDays as logs.RetentionDays,
      logsKey: this.logsKey.key,
      rotationSecurityGroup: props.network.functionGroups.secretRotation,
      masterSecretName: names.physical('aurora-master'),
      secretReplicas:
        role === 'primary' && peer
          ? [{ region: peer, keyAlias: names.inRegion(peer).keyAlias('database') }]
          : undefined,
      deletionProtection: true,
    });

    if (this.database.cluster) {
      new DatabaseBootstrap(this, 'TenantPartitioning', {
        cluster: this.database.cluster,
        vpc: props.network.network.vpc,
        securityGroup: props.network.functionGroups.databaseBootstrap,
        logsKey: this.logsKey.key,
        logRetention: target.env.logRetentionDays as logs.RetentionDays,
        secretKey: dbKey,
      });
    }

    // The Backup Audit Manager controls find the protected resources by this tag.
    Tags.of(this.database).add(BACKUP_AUDIT_TAG.key, BACKUP_AUDIT_TAG.value);

    this.alarms = new DatabaseAlarms(this, 'DatabaseAlarms', {
      target: { topic: props.security.onCall.topic, namePrefix: names.physical('aurora') },
      clusterIdentifier: names.auroraCluster,
      instanceClass: database.instanceClass,
      instanceClassField: `environments.${target.envName}.database.instanceClass`,
      replicationLagSeconds: role === 'secondary' ? database.replicationLagAlarmSeconds : undefined,
    });

    if (target.role === 'primary') {
      this.registry = new TenantRegistry(this, 'TenantRegistry', {
        tableName: names.tenantTable,
        auditTableName: names.environmentWide('tenant-audit'),
        key: dbKey,
        // The Lifecycle stack's function roles (it depends on this stack, so by generated name).
        auditWriterRoleArns: [
          `arn:${this.partition}:iam::${this.account}:role/${stackId(target, 'Lifecycle')}-*`,
        ],
        breakGlassRoleArn: props.security.breakGlassRoleArn,
        deploymentRoleArn: this.deploymentRoleArn,
        replicas: peer
          ? [
              {
                region: peer,
                keyArn: this.formatArn({
                  service: 'kms',
                  region: peer,
                  resource: names.inRegion(peer).keyAlias('database'),
                  arnFormat: ArnFormat.NO_RESOURCE_NAME,
                }),
              },
            ]
          : undefined,
      });
      Tags.of(this.registry).add(BACKUP_AUDIT_TAG.key, BACKUP_AUDIT_TAG.value);
    }
  }
}
