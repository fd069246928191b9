import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import { migrationsOf } from '../../../lambda/db-bootstrap/migrations';
import { DatabaseBootstrap } from '../../../lib/constructs/data/database-bootstrap';
import { readServiceMigrations } from '../../../lib/constructs/data/service-migrations';
import { bareStack } from '../../support/bare-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function build() {
  const stack = bareStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    natGateways: 0,
    subnetConfiguration: [
      { name: 'Compute', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      { name: 'Database', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
    ],
  });
  const secretKey = new kms.Key(stack, 'SecretKey');
  const cluster = new rds.DatabaseCluster(stack, 'Cluster', {
    engine: rds.DatabaseClusterEngine.auroraPostgres({
      version: rds.AuroraPostgresEngineVersion.VER_16_6,
    }),
    credentials: rds.Credentials.fromGeneratedSecret('platform_admin', {
      encryptionKey: secretKey,
    }),
    writer: rds.ClusterInstance.provisioned('Writer'),
    vpc,
    vpcSubnets: { subnetGroupName: 'Database' },
    iamAuthentication: true,
  });
  new DatabaseBootstrap(stack, 'Bootstrap', {
    cluster,
    vpc,
    securityGroup: new ec2.SecurityGroup(stack, 'Functions', { vpc }),
    logsKey: new kms.Key(stack, 'LogsKey'),
    logRetention: logs.RetentionDays.ONE_YEAR,
    secretKey,
    baselineVersion: '3',
  });
  return Template.fromStack(stack);
}

const template = build();
const statements = (): Json[] =>
  Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (p: Json) => p.Properties.PolicyDocument.Statement,
  );

test('the baseline resource names the writer endpoint and version, after the cluster', () => {
  template.hasResource('Custom::TenantPartitioningBaseline', {
    Properties: {
      ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BootstrapHandler'), 'Arn'] },
      Endpoint: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Cluster'), 'Endpoint.Address'] },
      BaselineVersion: '3',
    },
    DependsOn: Match.arrayWith([Match.stringLikeRegexp('^Cluster')]),
  });
});

test('the handler runs in the VPC, one at a time, with TLS and the database settings', () => {
  template.hasResourceProperties('AWS::Lambda::Function', {
    VpcConfig: Match.objectLike({
      SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Functions'), 'GroupId'] }],
    }),
    ReservedConcurrentExecutions: 1,
    Timeout: 300,
    Environment: {
      Variables: Match.objectLike({
        DB_PORT: '5432',
        DB_NAME: 'postgres',
        MASTER_SECRET_ARN: { Ref: Match.stringLikeRegexp('^ClusterSecretAttachment') },
        NODE_EXTRA_CA_CERTS: Match.stringLikeRegexp('\\.pem$'),
      }),
    },
  });
});

test('connects as the bootstrap role only', () => {
  const connect = statements().filter((s) => s.Action === 'rds-db:connect');
  expect(connect).toHaveLength(1);
  expect(JSON.stringify(connect[0].Resource)).toMatch(/:dbuser:.*\/platform_bootstrap"/);
});

test('reads the master secret only, and decrypts it only through Secrets Manager', () => {
  const all = statements();
  expect(all).toContainEqual(
    expect.objectContaining({
      Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
      Resource: { Ref: expect.stringMatching(/^ClusterSecretAttachment/) },
    }),
  );
  expect(all).toContainEqual(
    expect.objectContaining({
      Action: 'kms:Decrypt',
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^SecretKey/), 'Arn'] },
      Condition: {
        StringEquals: { 'kms:ViaService': 'secretsmanager.ap-southeast-2.amazonaws.com' },
      },
    }),
  );
});

test('no action beyond logs, the VPC interfaces, connect, the secret and its key', () => {
  const actions = statements().flatMap((s) => [s.Action].flat());
  expect(actions.filter((a) => !/^(logs|ec2|xray):/.test(a)).sort()).toEqual([
    'kms:Decrypt',
    'rds-db:connect',
    'secretsmanager:DescribeSecret',
    'secretsmanager:GetSecretValue',
  ]);
});

test('no provider framework: the one function of the construct answers CloudFormation', () => {
  const fns = Object.values(template.findResources('AWS::Lambda::Function')) as Json[];
  expect(fns.filter((f) => f.Properties.Handler === 'framework.onEvent')).toEqual([]);
});

test("the custom resource carries every service's migrations with their SHA-256, in order", () => {
  const [resource] = Object.values(template.findResources('Custom::TenantPartitioningBaseline'));
  const migrations = (resource as Json).Properties.Migrations as Json[];
  const files = readServiceMigrations();
  expect(files.length).toBeGreaterThan(0);
  expect(migrations).toEqual(
    files.map((m) => ({ Service: m.service, Name: m.name, Sql: m.sql, Sha256: m.sha256 })),
  );
  // what the handler reads back: checksums verified against the SQL
  expect(migrationsOf(migrations).map((m) => `${m.service}/${m.name}`)).toContain(
    'documents/001_documents.sql',
  );
});
