import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledge, awsManagedPolicy } from '../../compliance/acknowledge';
import { DATABASE_PORT } from '../../../lambda/shared/database/names';

/**
 * - `standalone`: a regional cluster only (single-region environments).
 * - `primary`: the regional cluster and the `AWS::RDS::GlobalCluster` created from it.
 * - `secondary`: a regional cluster joined to the global cluster; it carries no master
 *   credentials (they come from the primary) and has one instance so it can be promoted.
 */
export type AuroraRole = 'standalone' | 'primary' | 'secondary';

export interface AuroraDatabaseProps {
  readonly role: AuroraRole;
  /** The VPC; the cluster uses its isolated (database) subnets only. */
  readonly vpc: ec2.IVpc;
  /** Subnet group name of the isolated subnets. */
  readonly subnetGroupName: string;
  /** Security groups admitted to the database port (never a CIDR). */
  readonly clientSecurityGroups: readonly ec2.ISecurityGroup[];
  /** Cluster identifier (deterministic). */
  readonly clusterIdentifier: string;
  /** Global cluster identifier; required for `primary` and `secondary`. @default none */
  readonly globalClusterIdentifier?: string;
  /** Engine version, e.g. `16.6`. */
  readonly engineVersion: string;
  /** Instance class without `db.`, e.g. `r6g.large`. */
  readonly instanceClass: string;
  /** Readers besides the writer (primary and standalone only). @default 1 */
  readonly readers?: number;
  /**
   * Availability zones: the writer goes in the first, each reader in the next ones, so a reader
   * always stands by in another AZ.
   */
  readonly availabilityZones: readonly string[];
  /** Regional database key: storage, master secret, Performance Insights. */
  readonly key: kms.IKey;
  /** Automated backups and point-in-time window, days. */
  readonly backupRetentionDays: number;
  /** Retention of the exported PostgreSQL logs. */
  readonly logRetention: logs.RetentionDays;
  /** Key of the PostgreSQL log group. */
  readonly logsKey: kms.IKey;
  /** Security group of the master secret's rotation function (admitted to the database). */
  readonly rotationSecurityGroup?: ec2.ISecurityGroup;
  /** Name of the master secret (primary and standalone only). */
  readonly masterSecretName?: string;
  /**
   * Regions (and their database key aliases) the master secret is replicated to, so that it
   * survives a regional failover. @default none
   */
  readonly secretReplicas?: readonly { region: string; keyAlias: string }[];
  /** Deletion protection. @default true */
  readonly deletionProtection?: boolean;
}

const MASTER_USERNAME = 'platform_admin';

/**
 * Aurora PostgreSQL in one region, as a standalone cluster, the primary of a global database, or
 * its secondary. Encrypted with the regional database key, isolated subnets only, IAM database
 * authentication, TLS forced by the parameter group, deletion protection, snapshot on removal,
 * PostgreSQL logs exported, enhanced monitoring and Performance Insights with the key.
 */
export class AuroraDatabase extends Construct {
  readonly securityGroup: ec2.SecurityGroup;
  readonly clusterIdentifier: string;
  /** The L2 cluster (primary and standalone). */
  readonly cluster?: rds.DatabaseCluster;
  /** The L1 cluster (secondary). */
  readonly secondaryCluster?: rds.CfnDBCluster;
  readonly globalCluster?: rds.CfnGlobalCluster;
  readonly parameterGroup: rds.ParameterGroup;

  /** The cluster's resource id (`cluster-...`): the resource part of its `rds-db:connect` ARNs. */
  get clusterResourceId(): string {
    if (this.cluster) return this.cluster.clusterResourceIdentifier;
    return (this.secondaryCluster as rds.CfnDBCluster).attrDbClusterResourceId;
  }

  constructor(scope: Construct, id: string, props: AuroraDatabaseProps) {
    super(scope, id);
    if (props.role !== 'standalone' && !props.globalClusterIdentifier) {
      throw new Error(`AuroraDatabase ${props.role}: globalClusterIdentifier is required`);
    }
    this.clusterIdentifier = props.clusterIdentifier;
    const engine = rds.DatabaseClusterEngine.auroraPostgres({
      version: rds.AuroraPostgresEngineVersion.of(
        props.engineVersion,
        props.engineVersion.split('.')[0],
      ),
    });

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `Database port of ${props.clusterIdentifier}, only from named security groups`,
      allowAllOutbound: false,
    });
    for (const client of props.clientSecurityGroups) {
      // The database's ingress and the client group's egress to it, both in this stack (a client
      // group that allows all outbound traffic needs no egress rule and gets none).
      this.securityGroup.connections.allowFrom(
        client,
        ec2.Port.tcp(DATABASE_PORT),
        `PostgreSQL from ${client.node.id}`,
      );
    }

    this.parameterGroup = new rds.ParameterGroup(this, 'ClusterParameters', {
      engine,
      description: 'TLS only, connection and statement logging',
      parameters: {
        'rds.force_ssl': '1',
        ssl_min_protocol_version: 'TLSv1.2',
        log_connections: '1',
        log_disconnections: '1',
      },
    });

    const subnetGroup = new rds.SubnetGroup(this, 'Subnets', {
      vpc: props.vpc,
      subnetGroupName: props.subnetGroupName,
      description: `Isolated subnets of ${props.clusterIdentifier}`,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const monitoringRole = new iam.Role(this, 'MonitoringRole', {
      assumedBy: new iam.ServicePrincipal('monitoring.rds.amazonaws.com'),
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonRDSEnhancedMonitoringRole'),
      ],
    });
    acknowledge(
      monitoringRole,
      'AwsSolutions',
      awsManagedPolicy('service-role/AmazonRDSEnhancedMonitoringRole'),
      'AWS-maintained service-role policy that only lets RDS enhanced monitoring write to the ' +
        'RDSOSMetrics log group; the role can be assumed by monitoring.rds.amazonaws.com alone.',
    );

    // The log group RDS exports to, created here so that it has the key and a retention.
    const logGroup = new logs.LogGroup(this, 'PostgresqlLogs', {
      logGroupName: `/aws/rds/cluster/${props.clusterIdentifier}/postgresql`,
      retention: props.logRetention,
      encryptionKey: props.logsKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    if (props.role === 'secondary') {
      this.secondaryCluster = this.secondary(props, subnetGroup, monitoringRole);
      this.secondaryCluster.node.addDependency(logGroup);
    } else {
      this.cluster = this.regional(props, engine, subnetGroup, monitoringRole);
      this.cluster.node.addDependency(logGroup);
      this.rotateMasterSecret(props);
      if (props.role === 'primary') {
        this.globalCluster = new rds.CfnGlobalCluster(this, 'Global', {
          globalClusterIdentifier: props.globalClusterIdentifier,
          sourceDbClusterIdentifier: this.cluster.clusterArn,
          deletionProtection: props.deletionProtection ?? true,
        });
        this.globalCluster.applyRemovalPolicy(RemovalPolicy.RETAIN);
      }
    }
  }

  /** `arn:aws:rds:<region>:<account>:cluster:<id>`: how other stacks and regions refer to it. */
  get clusterArn(): string {
    const stack = Stack.of(this);
    return stack.formatArn({
      service: 'rds',
      resource: 'cluster',
      resourceName: this.clusterIdentifier,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  private regional(
    props: AuroraDatabaseProps,
    engine: rds.IClusterEngine,
    subnetGroup: rds.SubnetGroup,
    monitoringRole: iam.IRole,
  ): rds.DatabaseCluster {
    const instanceType = new ec2.InstanceType(props.instanceClass);
    const zones = props.availabilityZones;
    const instance = (id: string, index: number) =>
      rds.ClusterInstance.provisioned(id, {
        instanceType,
        availabilityZone: zones[index % zones.length],
        publiclyAccessible: false,
        enablePerformanceInsights: true,
        performanceInsightEncryptionKey: props.key,
        autoMinorVersionUpgrade: true,
      });
    const cluster = new rds.DatabaseCluster(this, 'Cluster', {
      engine,
      clusterIdentifier: props.clusterIdentifier,
      credentials: rds.Credentials.fromGeneratedSecret(MASTER_USERNAME, {
        encryptionKey: props.key,
        secretName: props.masterSecretName,
        replicaRegions: props.secretReplicas?.map((r) => ({
          region: r.region,
          encryptionKey: kms.Key.fromKeyArn(
            this,
            `SecretReplicaKey-${r.region}`,
            Stack.of(this).formatArn({
              service: 'kms',
              region: r.region,
              resource: r.keyAlias,
              arnFormat: ArnFormat.NO_RESOURCE_NAME,
            }),
          ),
        })),
      }),
      writer: instance('Writer', 0),
      readers: Array.from({ length: props.readers ?? 1 }, (_, i) =>
        instance(`Reader${i + 1}`, i + 1),
      ),
      vpc: props.vpc,
      subnetGroup,
      securityGroups: [this.securityGroup],
      port: DATABASE_PORT,
      storageEncrypted: true,
      storageEncryptionKey: props.key,
      iamAuthentication: true,
      parameterGroup: this.parameterGroup,
      deletionProtection: props.deletionProtection ?? true,
      removalPolicy: RemovalPolicy.SNAPSHOT,
      backup: { retention: Duration.days(props.backupRetentionDays) },
      cloudwatchLogsExports: ['postgresql'],
      monitoringInterval: Duration.seconds(60),
      monitoringRole,
      copyTagsToSnapshot: true,
    });
    for (const instance of cluster.node.findAll().filter((c) => c instanceof rds.CfnDBInstance)) {
      this.acknowledgeInstanceBackup(instance);
    }
    return cluster;
  }

  /** The master secret rotates through the Secrets Manager hosted rotation, inside the VPC. */
  private rotateMasterSecret(props: AuroraDatabaseProps): void {
    const secret = this.cluster?.secret;
    if (!secret) return;
    secret.addRotationSchedule('Rotation', {
      automaticallyAfter: Duration.days(30),
      hostedRotation: secretsmanager.HostedRotation.postgreSqlSingleUser({
        functionName: `${props.clusterIdentifier}-rotation`.slice(0, 64),
        vpc: props.vpc,
        vpcSubnets: { subnetGroupName: 'Compute' },
        securityGroups: props.rotationSecurityGroup ? [props.rotationSecurityGroup] : undefined,
      }),
    });
  }

  /** Aurora instances hold no data of their own: the cluster's storage is what is backed up. */
  private acknowledgeInstanceBackup(instance: Construct): void {
    acknowledge(
      instance,
      'NIST.800.53.R5',
      'NIST.800.53.R5-RDSInBackupPlan',
      'Aurora instances have no storage of their own; the cluster volume is what AWS Backup ' +
        'protects: the cluster is selected by ARN in the backup plan of this environment and ' +
        'region (daily, monthly and continuous rules in the primary region, a daily rule in the ' +
        'secondary, copied to the other region where the environment has one), besides its ' +
        'automated backups with the configured retention.',
    );
  }

  private secondary(
    props: AuroraDatabaseProps,
    subnetGroup: rds.SubnetGroup,
    monitoringRole: iam.IRole,
  ): rds.CfnDBCluster {
    const cluster = new rds.CfnDBCluster(this, 'Cluster', {
      dbClusterIdentifier: props.clusterIdentifier,
      globalClusterIdentifier: props.globalClusterIdentifier,
      engine: 'aurora-postgresql',
      engineVersion: props.engineVersion,
      dbClusterParameterGroupName: this.parameterGroup.bindToCluster({}).parameterGroupName,
      dbSubnetGroupName: subnetGroup.subnetGroupName,
      vpcSecurityGroupIds: [this.securityGroup.securityGroupId],
      port: DATABASE_PORT,
      storageEncrypted: true,
      kmsKeyId: props.key.keyArn,
      enableIamDatabaseAuthentication: true,
      deletionProtection: props.deletionProtection ?? true,
      backupRetentionPeriod: props.backupRetentionDays,
      enableCloudwatchLogsExports: ['postgresql'],
      copyTagsToSnapshot: true,
    });
    cluster.applyRemovalPolicy(RemovalPolicy.SNAPSHOT);
    const instance = new rds.CfnDBInstance(this, 'Instance', {
      dbClusterIdentifier: cluster.ref,
      dbInstanceClass: `db.${props.instanceClass}`,
      availabilityZone: props.availabilityZones[0],
      engine: 'aurora-postgresql',
      publiclyAccessible: false,
      enablePerformanceInsights: true,
      performanceInsightsKmsKeyId: props.key.keyArn,
      monitoringInterval: 60,
      monitoringRoleArn: monitoringRole.roleArn,
      autoMinorVersionUpgrade: true,
    });
    instance.applyRemovalPolicy(RemovalPolicy.SNAPSHOT);
    this.acknowledgeInstanceBackup(instance);
    acknowledge(
      cluster,
      'ISO.27001.2022',
      'ISO.27001.2022-RdsClusterMultiAz',
      'Secondary cluster of a global database: it is itself the cross-region redundancy of the ' +
        'primary, whose writer and readers span AZs; its one instance exists so that it can be ' +
        'promoted, and readers are added after a failover (runbook regional-failover).',
    );
    return cluster;
  }
}
