import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { AuroraDatabaseProps, AuroraRole } from '../../../lib/constructs/data/aurora-database';
import { AuroraDatabase } from '../../../lib/constructs/data/aurora-database';
import { bareStack } from '../../support/bare-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const AZS = ['ap-southeast-2a', 'ap-southeast-2b', 'ap-southeast-2c'];

function build(role: AuroraRole, props: Partial<AuroraDatabaseProps> = {}) {
  const stack = bareStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    availabilityZones: AZS,
    natGateways: 1,
    subnetConfiguration: [
      { name: 'Ingress', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
      { name: 'Compute', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 24 },
      { name: 'Database', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
    ],
  });
  const client = new ec2.SecurityGroup(stack, 'Functions', { vpc });
  new AuroraDatabase(stack, 'Db', {
    role,
    vpc,
    subnetGroupName: 'logi-prod-db-subnets',
    clientSecurityGroups: [client],
    clusterIdentifier: 'logi-prod-ap-southeast-2-aurora',
    globalClusterIdentifier: role === 'standalone' ? undefined : 'logi-prod-global-aurora',
    engineVersion: '16.6',
    instanceClass: 'r6g.large',
    availabilityZones: AZS,
    key: new kms.Key(stack, 'DatabaseKey'),
    backupRetentionDays: 35,
    logRetention: logs.RetentionDays.ONE_YEAR,
    logsKey: new kms.Key(stack, 'LogsKey'),
    masterSecretName: role === 'secondary' ? undefined : 'logi-prod-aurora-master',
    secretReplicas:
      role === 'primary'
        ? [{ region: 'ap-southeast-4', keyAlias: 'alias/logi-prod-ap-southeast-4-database' }]
        : undefined,
    ...props,
  });
  return Template.fromStack(stack);
}

const primary = build('primary');
const secondary = build('secondary');
const standalone = build('standalone', { readers: 2 });
const byKey = { 'Fn::GetAtt': [Match.stringLikeRegexp('^DatabaseKey'), 'Arn'] };

test('primary and secondary need the global cluster identifier', () => {
  expect(() => build('secondary', { globalClusterIdentifier: undefined })).toThrow(
    /globalClusterIdentifier is required/,
  );
});

describe.each([
  ['primary', primary],
  ['secondary', secondary],
  ['standalone', standalone],
])('%s', (_role, template) => {
  test('encrypted with the database key, IAM auth, protected, logs exported, snapshot on removal', () => {
    template.hasResource('AWS::RDS::DBCluster', {
      Properties: Match.objectLike({
        Engine: 'aurora-postgresql',
        EngineVersion: '16.6',
        StorageEncrypted: true,
        KmsKeyId: byKey,
        EnableIAMDatabaseAuthentication: true,
        DeletionProtection: true,
        EnableCloudwatchLogsExports: ['postgresql'],
        BackupRetentionPeriod: 35,
        Port: 5432,
        CopyTagsToSnapshot: true,
      }),
      DeletionPolicy: 'Snapshot',
    });
  });

  test('TLS 1.2+ forced, connections logged, by the cluster parameter group', () => {
    template.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', {
      Parameters: {
        'rds.force_ssl': '1',
        ssl_min_protocol_version: 'TLSv1.2',
        log_connections: '1',
        log_disconnections: '1',
      },
    });
  });

  test('instances: not public, enhanced monitoring, Performance Insights with the key', () => {
    template.allResourcesProperties('AWS::RDS::DBInstance', {
      PubliclyAccessible: false,
      MonitoringInterval: 60,
      EnablePerformanceInsights: true,
      PerformanceInsightsKMSKeyId: byKey,
    });
  });

  test('only the database subnets; the database port only from named security groups', () => {
    const groups = Object.values(template.findResources('AWS::RDS::DBSubnetGroup'));
    expect(groups).toHaveLength(1);
    const ids = JSON.stringify(groups[0].Properties.SubnetIds);
    expect(ids).toMatch(/DatabaseSubnet/);
    expect(ids).not.toMatch(/IngressSubnet|ComputeSubnet/);
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).map(
      (r: Json) => r.Properties,
    );
    expect(ingress).toEqual([
      expect.objectContaining({
        IpProtocol: 'tcp',
        FromPort: 5432,
        ToPort: 5432,
        SourceSecurityGroupId: { 'Fn::GetAtt': [expect.stringMatching(/^Functions/), 'GroupId'] },
      }),
    ]);
    for (const sg of Object.values(template.findResources('AWS::EC2::SecurityGroup'))) {
      expect((sg as Json).Properties.SecurityGroupIngress ?? []).toEqual([]);
    }
  });

  test('its PostgreSQL log group: the logs key, retention, retained', () => {
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: {
        LogGroupName: '/aws/rds/cluster/logi-prod-ap-southeast-2-aurora/postgresql',
        RetentionInDays: 365,
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^LogsKey'), 'Arn'] },
      },
      DeletionPolicy: 'Retain',
    });
  });

  test('the monitoring role can be assumed by RDS enhanced monitoring alone', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'monitoring.rds.amazonaws.com' } })],
      },
    });
  });
});

describe('primary', () => {
  test('a writer and a reader, each in its own availability zone', () => {
    const zones = Object.values(primary.findResources('AWS::RDS::DBInstance')).map(
      (i: Json) => i.Properties.AvailabilityZone,
    );
    expect(zones.sort()).toEqual(['ap-southeast-2a', 'ap-southeast-2b']);
  });

  test('readers are configurable, still spread over the zones', () => {
    const zones = Object.values(standalone.findResources('AWS::RDS::DBInstance')).map(
      (i: Json) => i.Properties.AvailabilityZone,
    );
    expect(zones.sort()).toEqual(AZS);
  });

  test('the global cluster is created from this cluster, protected and retained', () => {
    primary.hasResource('AWS::RDS::GlobalCluster', {
      Properties: {
        GlobalClusterIdentifier: 'logi-prod-global-aurora',
        SourceDBClusterIdentifier: {
          'Fn::Join': [
            '',
            [
              Match.stringLikeRegexp(':rds:ap-southeast-2:333333333333:cluster:$'),
              { Ref: Match.stringLikeRegexp('^DbCluster') },
            ],
          ],
        },
        DeletionProtection: true,
      },
      DeletionPolicy: 'Retain',
    });
  });

  test('the master secret: the database key, replicated by alias, rotated every 30 days in the VPC', () => {
    primary.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'logi-prod-aurora-master',
      KmsKeyId: byKey,
      ReplicaRegions: [
        {
          Region: 'ap-southeast-4',
          KmsKeyId:
            'arn:aws:kms:ap-southeast-4:333333333333:alias/logi-prod-ap-southeast-4-database',
        },
      ],
    });
    primary.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      HostedRotationLambda: Match.objectLike({
        RotationType: 'PostgreSQLSingleUser',
        VpcSubnetIds: Match.anyValue(),
      }),
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
    });
  });
});

describe('secondary', () => {
  test('joins the global cluster with no master credentials, no secret, one instance', () => {
    secondary.resourceCountIs('AWS::RDS::GlobalCluster', 0);
    const [cluster] = Object.values(secondary.findResources('AWS::RDS::DBCluster')) as Json[];
    expect(cluster.Properties.GlobalClusterIdentifier).toBe('logi-prod-global-aurora');
    expect(cluster.Properties.MasterUsername).toBeUndefined();
    expect(cluster.Properties.MasterUserPassword).toBeUndefined();
    secondary.resourceCountIs('AWS::SecretsManager::Secret', 0);
    secondary.resourceCountIs('AWS::RDS::DBInstance', 1);
    secondary.hasResource('AWS::RDS::DBInstance', { DeletionPolicy: 'Snapshot' });
  });
});

test('standalone: a regional cluster only', () => {
  standalone.resourceCountIs('AWS::RDS::GlobalCluster', 0);
  const [cluster] = Object.values(standalone.findResources('AWS::RDS::DBCluster')) as Json[];
  expect(cluster.Properties.GlobalClusterIdentifier).toBeUndefined();
  expect(cluster.Properties.DBClusterIdentifier).toBe('logi-prod-ap-southeast-2-aurora');
});
