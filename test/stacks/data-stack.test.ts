import type { Template } from 'aws-cdk-lib/assertions';
import { Match } from 'aws-cdk-lib/assertions';
import { stackDependencies, stackTemplate } from '../support/default-platform';
import { snapshotTests } from '../support/stack-snapshots';

let prodPrimary: Template;
let prodSecondary: Template;
let dev: Template;

beforeAll(() => {
  prodPrimary = stackTemplate('prod-apse2-Data');
  prodSecondary = stackTemplate('prod-apse4-Data');
  dev = stackTemplate('dev-apse2-Data');
});

describe('Aurora global database across the two prod regions', () => {
  test('the primary cluster has a writer and a reader, in isolated subnets, not public', () => {
    prodPrimary.hasResourceProperties('AWS::RDS::DBCluster', {
      DBClusterIdentifier: 'logi-prod-ap-southeast-2-aurora',
      Engine: 'aurora-postgresql',
      EngineVersion: '16.6',
    });
    prodPrimary.resourceCountIs('AWS::RDS::DBInstance', 2);
    prodPrimary.allResourcesProperties('AWS::RDS::DBInstance', { PubliclyAccessible: false });
    const subnets = prodPrimary.findResources('AWS::RDS::DBSubnetGroup');
    expect(Object.keys(subnets)).toHaveLength(1);
    const ids = JSON.stringify(Object.values(subnets)[0].Properties.SubnetIds);
    expect(ids).toMatch(/DatabaseSubnet/);
    expect(ids).not.toMatch(/IngressSubnet|ComputeSubnet/);
  });

  test('the writer and the reader sit in different availability zones', () => {
    const instances = Object.values(prodPrimary.findResources('AWS::RDS::DBInstance'));
    const zones = instances.map((i) => i.Properties.AvailabilityZone);
    expect(new Set(zones).size).toBe(2);
    expect(zones.every((z) => /^ap-southeast-2[abc]$/.test(z))).toBe(true);
  });

  test('the global cluster is created from the primary cluster', () => {
    prodPrimary.hasResourceProperties('AWS::RDS::GlobalCluster', {
      GlobalClusterIdentifier: 'logi-prod-global-aurora',
      SourceDBClusterIdentifier: {
        'Fn::Join': [
          '',
          [
            Match.stringLikeRegexp(':rds:ap-southeast-2:333333333333:cluster:$'),
            { Ref: Match.anyValue() },
          ],
        ],
      },
      DeletionProtection: true,
    });
  });

  test('the secondary cluster joins that global cluster with no master credentials and one instance', () => {
    prodSecondary.resourceCountIs('AWS::RDS::GlobalCluster', 0);
    const clusters = Object.values(prodSecondary.findResources('AWS::RDS::DBCluster'));
    expect(clusters).toHaveLength(1);
    const props = clusters[0].Properties;
    expect(props.GlobalClusterIdentifier).toBe('logi-prod-global-aurora');
    expect(props.DBClusterIdentifier).toBe('logi-prod-ap-southeast-4-aurora');
    expect(props.MasterUsername).toBeUndefined();
    expect(props.MasterUserPassword).toBeUndefined();
    prodSecondary.resourceCountIs('AWS::SecretsManager::Secret', 0);
    prodSecondary.resourceCountIs('AWS::RDS::DBInstance', 1);
  });

  test('the secondary deploys after the primary (ordering across regions, no reference)', () => {
    expect(stackDependencies('prod-apse4-Data')).toContain('prod-apse2-Data');
  });

  test.each([
    ['primary', () => prodPrimary, 'ap-southeast-2'],
    ['secondary', () => prodSecondary, 'ap-southeast-4'],
  ])('the %s is encrypted with its own region key, IAM auth on, protected', (_n, t, region) => {
    t().hasResourceProperties('AWS::RDS::DBCluster', {
      StorageEncrypted: true,
      KmsKeyId: Match.anyValue(),
      EnableIAMDatabaseAuthentication: true,
      DeletionProtection: true,
      EnableCloudwatchLogsExports: ['postgresql'],
      BackupRetentionPeriod: 35,
    });
    t().hasResource('AWS::RDS::DBCluster', { DeletionPolicy: 'Snapshot' });
    const keyRef = JSON.stringify(
      Object.values(t().findResources('AWS::RDS::DBCluster'))[0].Properties.KmsKeyId,
    );
    expect(keyRef).toContain(`"Region":"${region}"`);
    expect(keyRef).toMatch(/DatabaseKey/);
  });

  test('TLS is forced by the cluster parameter group', () => {
    prodPrimary.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', {
      Parameters: Match.objectLike({ 'rds.force_ssl': '1' }),
    });
    prodSecondary.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', {
      Parameters: Match.objectLike({ 'rds.force_ssl': '1' }),
    });
  });

  test('the database security group admits only named security groups, never a CIDR', () => {
    for (const t of [prodPrimary, prodSecondary, dev]) {
      const ingress = Object.values(t.findResources('AWS::EC2::SecurityGroupIngress')).map(
        (r) => r.Properties,
      );
      expect(ingress.length).toBeGreaterThanOrEqual(2);
      for (const rule of ingress) {
        expect(rule.SourceSecurityGroupId).toBeDefined();
        expect(rule.CidrIp).toBeUndefined();
        expect(rule.FromPort).toBe(5432);
      }
      for (const sg of Object.values(t.findResources('AWS::EC2::SecurityGroup'))) {
        expect(sg.Properties.SecurityGroupIngress ?? []).toEqual([]);
      }
    }
  });

  test('the master secret uses the database key, rotates in the VPC and is replicated', () => {
    prodPrimary.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'logi-prod-ap-southeast-2-aurora-master',
      KmsKeyId: Match.anyValue(),
      ReplicaRegions: [
        {
          Region: 'ap-southeast-4',
          KmsKeyId:
            'arn:aws:kms:ap-southeast-4:333333333333:alias/logi-prod-ap-southeast-4-database',
        },
      ],
    });
    prodPrimary.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      HostedRotationLambda: Match.objectLike({
        RotationType: 'PostgreSQLSingleUser',
        VpcSubnetIds: Match.anyValue(),
      }),
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
    });
  });

  test('enhanced monitoring and Performance Insights with the key', () => {
    prodPrimary.allResourcesProperties('AWS::RDS::DBInstance', {
      MonitoringInterval: 60,
      EnablePerformanceInsights: true,
      PerformanceInsightsKMSKeyId: Match.anyValue(),
    });
    prodSecondary.allResourcesProperties('AWS::RDS::DBInstance', {
      MonitoringInterval: 60,
      EnablePerformanceInsights: true,
      PerformanceInsightsKMSKeyId: Match.anyValue(),
    });
  });

  test('PostgreSQL logs go to a KMS-encrypted log group with retention', () => {
    prodPrimary.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/rds/cluster/logi-prod-ap-southeast-2-aurora/postgresql',
      RetentionInDays: 365,
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^LogsKey'), 'Arn'] },
    });
  });

  test('alarms notify on-call: replication lag on the secondary, health on both', () => {
    prodSecondary.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'AuroraGlobalDBReplicationLag',
      Threshold: 30_000,
      AlarmActions: [Match.anyValue()],
    });
    for (const metric of ['CPUUtilization', 'FreeableMemory', 'DatabaseConnections']) {
      prodPrimary.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: metric,
        AlarmActions: [Match.anyValue()],
      });
    }
    const primaryAlarms = Object.values(prodPrimary.findResources('AWS::CloudWatch::Alarm'));
    expect(primaryAlarms.map((a) => a.Properties.MetricName)).not.toContain(
      'AuroraGlobalDBReplicationLag',
    );
  });
});

describe('single-region dev', () => {
  test('gets a regional cluster only, from the same construct', () => {
    dev.resourceCountIs('AWS::RDS::GlobalCluster', 0);
    dev.hasResourceProperties('AWS::RDS::DBCluster', {
      DBClusterIdentifier: 'logi-dev-ap-southeast-2-aurora',
      BackupRetentionPeriod: 7,
    });
    expect(
      Object.values(dev.findResources('AWS::RDS::DBCluster'))[0].Properties.GlobalClusterIdentifier,
    ).toBeUndefined();
  });
});

describe('tenant registry', () => {
  test('a global table in the primary region with a replica, PITR and protection everywhere', () => {
    prodPrimary.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: 'logi-prod-tenants',
      GlobalSecondaryIndexes: [
        {
          IndexName: 'state-due',
          KeySchema: [
            { AttributeName: 'lifecycleState', KeyType: 'HASH' },
            { AttributeName: 'dueAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      Replicas: Match.arrayWith([
        Match.objectLike({
          Region: 'ap-southeast-4',
          DeletionProtectionEnabled: true,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          SSESpecification: {
            KMSMasterKeyId:
              'arn:aws:kms:ap-southeast-4:333333333333:alias/logi-prod-ap-southeast-4-database',
          },
        }),
        Match.objectLike({
          Region: 'ap-southeast-2',
          DeletionProtectionEnabled: true,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        }),
      ]),
    });
    prodSecondary.resourceCountIs('AWS::DynamoDB::GlobalTable', 0);
  });

  test('the audit table denies changing or deleting records in every replica', () => {
    const audit = Object.values(prodPrimary.findResources('AWS::DynamoDB::GlobalTable')).find(
      (t) => t.Properties.TableName === 'logi-prod-tenant-audit',
    );
    expect(audit).toBeDefined();
    for (const replica of audit!.Properties.Replicas) {
      const statement = replica.ResourcePolicy.PolicyDocument.Statement[0];
      expect(statement.Effect).toBe('Deny');
      expect(statement.Action).toEqual(
        expect.arrayContaining(['dynamodb:UpdateItem', 'dynamodb:DeleteItem']),
      );
    }
  });
});

snapshotTests('Data');
