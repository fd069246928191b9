import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { SweepSchedule } from '../../../lib/constructs/lifecycle/sweep-schedule';
import { bareStack } from '../../support/bare-stack';
import { AUDIT_ARN, lifecycleCommon, REGISTRY_ARN } from '../../support/lifecycle-common';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ARCHIVE_Q = 'arn:aws:sqs:ap-southeast-2:333333333333:archive-jobs';
const PURGE_Q = 'arn:aws:sqs:ap-southeast-2:333333333333:purge-jobs';

function build(globalClusterIdentifier: string | null = 'logi-prod-global-aurora') {
  const stack = bareStack();
  new SweepSchedule(stack, 'Sweep', {
    ...lifecycleCommon(stack),
    archiveQueue: sqs.Queue.fromQueueArn(stack, 'ArchiveQ', ARCHIVE_Q),
    purgeQueue: sqs.Queue.fromQueueArn(stack, 'PurgeQ', PURGE_Q),
    queueKey: new kms.Key(stack, 'QueueKey'),
    leaseMinutes: 60,
    database: {
      clusterIdentifier: 'logi-prod-apse2-aurora',
      globalClusterIdentifier: globalClusterIdentifier ?? undefined,
    },
  });
  return Template.fromStack(stack);
}

const template = build();
const statements = (rolePrefix: string): Json[] =>
  (Object.values(template.findResources('AWS::IAM::Policy')) as Json[])
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(rolePrefix))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);

test('the sweep: one at a time, in the VPC, with the queues, tables and lease', () => {
  template.hasResourceProperties('AWS::Lambda::Function', {
    ReservedConcurrentExecutions: 1,
    Timeout: 300,
    VpcConfig: Match.anyValue(),
    Environment: {
      Variables: Match.objectLike({
        TABLE_NAME: 'logi-prod-tenants',
        AUDIT_TABLE_NAME: 'logi-prod-tenant-audit',
        LEASE_MINUTES: '60',
      }),
    },
  });
});

test('the writer gate: the cluster and global cluster in the environment, describe that one global cluster only', () => {
  template.hasResourceProperties('AWS::Lambda::Function', {
    Environment: {
      Variables: Match.objectLike({
        DB_CLUSTER_ID: 'logi-prod-apse2-aurora',
        GLOBAL_CLUSTER_ID: 'logi-prod-global-aurora',
      }),
    },
  });
  const gate = statements('SweepRole').filter((s) =>
    [s.Action].flat().some((a: string) => a.startsWith('rds:')),
  );
  expect(gate).toHaveLength(1);
  expect(gate[0]).toMatchObject({ Sid: 'WriterCheck', Action: 'rds:DescribeGlobalClusters' });
  expect(JSON.stringify(gate[0].Resource)).toMatch(
    /:rds::333333333333:global-cluster:logi-prod-global-aurora"/,
  );
});

test('without a global database the sweep gets no RDS permission and no GLOBAL_CLUSTER_ID', () => {
  const standalone = build(null);
  const sweep = (Object.values(standalone.findResources('AWS::Lambda::Function')) as Json[]).find(
    (f) => f.Properties.Environment?.Variables?.DB_CLUSTER_ID,
  );
  expect(sweep?.Properties.Environment.Variables.DB_CLUSTER_ID).toBe('logi-prod-apse2-aurora');
  expect(sweep?.Properties.Environment.Variables.GLOBAL_CLUSTER_ID).toBeUndefined();
  expect(JSON.stringify(standalone.findResources('AWS::IAM::Policy'))).not.toMatch(/"rds:/);
});

test('the sweep role: query the due index (no scan), transition with audit, send jobs', () => {
  const all = statements('SweepRole');
  const on = (resource: string) =>
    all.filter((s) => [s.Resource].flat().includes(resource)).flatMap((s) => [s.Action].flat());
  expect(on(`${REGISTRY_ARN}/index/state-due`)).toEqual(['dynamodb:Query']);
  expect(on(REGISTRY_ARN)).toEqual(['dynamodb:UpdateItem']);
  expect(on(AUDIT_ARN)).toEqual(['dynamodb:PutItem']);
  expect(all.find((s) => s.Sid === 'SendJobs')).toMatchObject({
    Action: 'sqs:SendMessage',
    Resource: [ARCHIVE_Q, PURGE_Q],
  });
  expect(all.flatMap((s) => [s.Action].flat())).not.toContain('dynamodb:Scan');
});

test('a daily schedule at 02:00 UTC, with retries and its own dead-letter queue', () => {
  template.hasResourceProperties('AWS::Scheduler::Schedule', {
    ScheduleExpression: 'cron(0 2 * * ? *)',
    ScheduleExpressionTimezone: 'Etc/UTC',
    State: 'ENABLED',
    Target: {
      Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SweepFunction'), 'Arn'] },
      RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SweepSchedulerRole'), 'Arn'] },
      DeadLetterConfig: {
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SweepDeadLetterQueue'), 'Arn'] },
      },
      RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 21600 },
    },
  });
});

test('the dead-letter queue: the queue key, TLS only, 14 days, retained', () => {
  template.hasResource('AWS::SQS::Queue', {
    Properties: {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^QueueKey'), 'Arn'] },
      MessageRetentionPeriod: 14 * 24 * 3600,
    },
    DeletionPolicy: 'Retain',
  });
  template.hasResourceProperties('AWS::SQS::QueuePolicy', {
    PolicyDocument: {
      Statement: Match.arrayWith([
        Match.objectLike({
          Effect: 'Deny',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      ]),
    },
  });
});

test('the scheduler role: only Scheduler of this account, invoking only the sweep', () => {
  template.hasResourceProperties('AWS::IAM::Role', {
    AssumeRolePolicyDocument: {
      Statement: [
        Match.objectLike({
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': '333333333333' } },
        }),
      ],
    },
  });
  const all = statements('SweepSchedulerRole');
  const invoke = all.filter((s) => [s.Action].flat().includes('lambda:InvokeFunction'));
  expect(invoke).toHaveLength(1);
  expect(JSON.stringify(invoke[0].Resource)).toMatch(/SweepFunction/);
  for (const s of all) {
    expect(
      [s.Action]
        .flat()
        .every((a: string) => /^(lambda:InvokeFunction|sqs:SendMessage|kms:)/.test(a)),
    ).toBe(true);
  }
});
