import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  ArchiveWorkers,
  WORKER_CONCURRENCY,
  WORKER_TIMEOUT,
} from '../../../lib/constructs/lifecycle/archive-workers';
import { bareStack } from '../../support/bare-stack';

function build() {
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
  const table = (id: string) =>
    new dynamodb.TableV2(stack, id, {
      partitionKey: { name: 'tenantId', type: dynamodb.AttributeType.STRING },
    });
  new ArchiveWorkers(stack, 'Workers', {
    registry: { table: table('Registry'), auditTable: table('Audit'), key },
    logsKey: key,
    logRetention: logs.RetentionDays.ONE_YEAR,
    vpc,
    securityGroup: new ec2.SecurityGroup(stack, 'Sg', { vpc }),
    archiveRetentionDays: 365,
    queueKey: key,
    archiveBucket: new s3.Bucket(stack, 'Archive', { encryptionKey: key }),
    filesBucket: { bucketName: 'files-primary', key },
    filesReplica: { bucketName: 'files-secondary', region: 'ap-southeast-4' },
    database: (() => {
      const cluster = new rds.DatabaseCluster(stack, 'Db', {
        engine: rds.DatabaseClusterEngine.auroraPostgres({
          version: rds.AuroraPostgresEngineVersion.VER_16_4,
        }),
        writer: rds.ClusterInstance.serverlessV2('Writer'),
        vpc,
        vpcSubnets: { subnetGroupName: 'Data' },
      });
      return {
        host: cluster.clusterEndpoint.hostname,
        port: String(cluster.clusterEndpoint.port),
        clusterResourceId: cluster.clusterResourceIdentifier,
      };
    })(),
    dbName: 'postgres',
    dbUser: 'lifecycle_worker',
    userPool: new cognito.UserPool(stack, 'Pool'),
  });
  return Template.fromStack(stack);
}

let template: Template;
beforeAll(() => {
  template = build();
}, 120_000);

test('each worker: reserved concurrency equal to its event source maximumConcurrency', () => {
  const functions = template.findResources('AWS::Lambda::Function', {
    Properties: { Timeout: WORKER_TIMEOUT.toSeconds(), Runtime: 'nodejs22.x' },
  });
  expect(Object.keys(functions).filter((id) => id.startsWith('Workers'))).toHaveLength(2);
  for (const [, fn] of Object.entries(functions).filter(([id]) => id.startsWith('Workers'))) {
    expect(fn.Properties.ReservedConcurrentExecutions).toBe(WORKER_CONCURRENCY);
  }
  const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'));
  expect(mappings).toHaveLength(2);
  for (const m of mappings) {
    expect(m.Properties).toMatchObject({
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: WORKER_CONCURRENCY },
    });
  }
});

test('both job queues: visibility timeout at least six times the worker timeout', () => {
  const jobs = Object.values(template.findResources('AWS::SQS::Queue')).filter(
    (q) => q.Properties.RedrivePolicy,
  );
  expect(jobs).toHaveLength(2);
  for (const q of jobs) {
    expect(q.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * WORKER_TIMEOUT.toSeconds());
  }
  // SQS's own limit: 12 hours.
  expect(6 * WORKER_TIMEOUT.toSeconds()).toBeLessThanOrEqual(Duration.hours(12).toSeconds());
});

test("the purge worker may delete the tenant pool's users and groups, and nothing else of it", () => {
  const policies = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([id]) =>
    id.startsWith('WorkersPurge'),
  );
  expect(policies).toHaveLength(1);
  const statements = policies[0]![1].Properties.PolicyDocument.Statement as {
    Sid?: string;
    Action: string[];
    Resource: unknown;
  }[];
  expect(statements.find((s) => s.Sid === 'TenantUsersDelete')).toEqual(
    expect.objectContaining({
      Action: [
        'cognito-idp:AdminDeleteUser',
        'cognito-idp:DeleteGroup',
        'cognito-idp:ListUsersInGroup',
      ],
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Pool/), 'Arn'] },
    }),
  );
  const cognitoActions = statements
    .flatMap((s) => [s.Action].flat())
    .filter((a) => a.startsWith('cognito'));
  expect(cognitoActions).toHaveLength(3);
});
