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

// The cluster's own promises (encryption, IAM auth, TLS parameters, subnets, security group,
// monitoring, log group, secret rotation) are asserted in test/constructs/data/aurora-database.test.ts;
// the registry's in tenant-registry.test.ts, the alarms' in database-alarms.test.ts. Here, what
// the stacks wire: names, regions, keys, config values and the order across regions.
describe('Aurora global database across the two prod regions', () => {
  test('the primary: its deterministic name, the configured engine, a writer and a reader', () => {
    prodPrimary.hasResourceProperties('AWS::RDS::DBCluster', {
      DBClusterIdentifier: 'logi-prod-ap-southeast-2-aurora',
      Engine: 'aurora-postgresql',
      EngineVersion: '16.6',
    });
    prodPrimary.resourceCountIs('AWS::RDS::DBInstance', 2);
  });

  test('the writer and the reader sit in different availability zones of the region', () => {
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
    });
  });

  test('the secondary joins that global cluster by name, with one instance', () => {
    prodSecondary.resourceCountIs('AWS::RDS::GlobalCluster', 0);
    const clusters = Object.values(prodSecondary.findResources('AWS::RDS::DBCluster'));
    expect(clusters).toHaveLength(1);
    const props = clusters[0].Properties;
    expect(props.GlobalClusterIdentifier).toBe('logi-prod-global-aurora');
    expect(props.DBClusterIdentifier).toBe('logi-prod-ap-southeast-4-aurora');
    expect(props.MasterUsername).toBeUndefined();
    prodSecondary.resourceCountIs('AWS::SecretsManager::Secret', 0);
    prodSecondary.resourceCountIs('AWS::RDS::DBInstance', 1);
  });

  test('the secondary deploys after the primary (ordering across regions, no reference)', () => {
    expect(stackDependencies('prod-apse4-Data')).toContain('prod-apse2-Data');
  });

  test.each([
    ['primary', () => prodPrimary, 'ap-southeast-2'],
    ['secondary', () => prodSecondary, 'ap-southeast-4'],
  ])(
    "the %s: its own region's database key, the configured backup retention, protected",
    (_n, t, region) => {
      t().hasResourceProperties('AWS::RDS::DBCluster', {
        BackupRetentionPeriod: 35,
        DeletionProtection: true,
      });
      const keyRef = JSON.stringify(
        Object.values(t().findResources('AWS::RDS::DBCluster'))[0].Properties.KmsKeyId,
      );
      expect(keyRef).toContain(`"Region":"${region}"`);
      expect(keyRef).toMatch(/DatabaseKey/);
    },
  );

  test('the functions and the rotation function are the clients the database admits', () => {
    for (const t of [prodPrimary, prodSecondary, dev]) {
      const ingress = Object.values(t.findResources('AWS::EC2::SecurityGroupIngress')).map(
        (r) => r.Properties,
      );
      expect(ingress.length).toBeGreaterThanOrEqual(2);
      for (const rule of ingress) expect(rule.SourceSecurityGroupId).toBeDefined();
    }
  });

  test("the master secret is named and replicated to the secondary region's key, by alias", () => {
    prodPrimary.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'logi-prod-ap-southeast-2-aurora-master',
      ReplicaRegions: [
        {
          Region: 'ap-southeast-4',
          KmsKeyId:
            'arn:aws:kms:ap-southeast-4:333333333333:alias/logi-prod-ap-southeast-4-database',
        },
      ],
    });
  });

  test("PostgreSQL logs: the configured retention, under the stack's logs key", () => {
    prodPrimary.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/rds/cluster/logi-prod-ap-southeast-2-aurora/postgresql',
      RetentionInDays: 365,
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^LogsKey'), 'Arn'] },
    });
  });

  test('alarms notify on-call: replication lag on the secondary only, health on both', () => {
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
  test('gets a regional cluster only, from the same construct, with its own retention', () => {
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
  test("global tables in the primary region, replicated to the secondary under its key's alias", () => {
    for (const name of ['logi-prod-tenants', 'logi-prod-tenant-audit']) {
      prodPrimary.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
        TableName: name,
        Replicas: Match.arrayWith([
          Match.objectLike({
            Region: 'ap-southeast-4',
            SSESpecification: {
              KMSMasterKeyId:
                'arn:aws:kms:ap-southeast-4:333333333333:alias/logi-prod-ap-southeast-4-database',
            },
          }),
          Match.objectLike({ Region: 'ap-southeast-2' }),
        ]),
      });
    }
    prodSecondary.resourceCountIs('AWS::DynamoDB::GlobalTable', 0);
  });
});

snapshotTests('Data');
