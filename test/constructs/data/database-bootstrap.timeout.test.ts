import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import {
  BOOTSTRAP_TIMEOUT,
  DatabaseBootstrap,
} from '../../../lib/constructs/data/database-bootstrap';
import { bareStack } from '../../support/bare-stack';

test('CloudFormation waits for the bootstrap at most a minute past the function timeout, not an hour', () => {
  const stack = bareStack();
  const key = new kms.Key(stack, 'Key');
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [
      { name: 'Compute', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      { name: 'Data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
  const cluster = new rds.DatabaseCluster(stack, 'Db', {
    engine: rds.DatabaseClusterEngine.auroraPostgres({
      version: rds.AuroraPostgresEngineVersion.VER_16_4,
    }),
    writer: rds.ClusterInstance.serverlessV2('Writer'),
    vpc,
    vpcSubnets: { subnetGroupName: 'Data' },
  });
  new DatabaseBootstrap(stack, 'Bootstrap', {
    cluster,
    vpc,
    securityGroup: new ec2.SecurityGroup(stack, 'Sg', { vpc }),
    logsKey: key,
    logRetention: logs.RetentionDays.ONE_YEAR,
    secretKey: key,
  });
  const template = Template.fromStack(stack);
  const [resource] = Object.values(template.findResources('Custom::TenantPartitioningBaseline'));
  expect(resource!.Properties.ServiceTimeout).toBe(String(BOOTSTRAP_TIMEOUT.toSeconds() + 60));
  template.hasResourceProperties('AWS::Lambda::Function', {
    Timeout: BOOTSTRAP_TIMEOUT.toSeconds(),
    Description: 'Applies the tenant-partitioning baseline (RLS) to the database',
  });
});
