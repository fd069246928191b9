import type { Template } from 'aws-cdk-lib/assertions';
import { Match } from 'aws-cdk-lib/assertions';
import { loadConfig } from '../../lib/config';
import { ledgerTimeline } from '../../lib/config/retention-ledger-stores';
import { stackTemplate } from '../support/default-platform';
import { snapshotTests } from '../support/stack-snapshots';

const config = loadConfig();
const ARCHIVE = 'logi-prod-ap-southeast-2-archive';
const REPLICA = 'logi-prod-ap-southeast-4-archive';

let primary: Template;
let secondary: Template;

beforeAll(() => {
  primary = stackTemplate('prod-apse2-Lifecycle');
  secondary = stackTemplate('prod-apse4-Lifecycle');
});

type Resource = ReturnType<Template['findResources']>[string];

interface Statement {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly Action: string | string[];
  readonly Resource?: unknown;
  readonly Condition: Record<string, Record<string, unknown>>;
}

function bucket(t: Template, name: string): Resource {
  const found = Object.values(t.findResources('AWS::S3::Bucket')).find(
    (b) => b.Properties.BucketName === name,
  );
  if (!found) throw new Error(`no bucket ${name}`);
  return found as Resource;
}

function functionWithEntry(t: Template, description: RegExp): Resource {
  const found = Object.values(t.findResources('AWS::Lambda::Function')).filter((f) =>
    description.test(String(f.Properties.Description)),
  );
  if (found.length !== 1) throw new Error(`${found.length} functions match ${description}`);
  return found[0] as Resource;
}

function statementsOf(t: Template, rolePrefix: string): Statement[] {
  return Object.entries(t.findResources('AWS::IAM::Policy'))
    .filter(([id]) => id.startsWith(rolePrefix))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
}

const actionsOf = (statements: Statement[]): string[] =>
  statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

describe.each([
  ['primary', () => primary, ARCHIVE],
  ['secondary', () => secondary, REPLICA],
])('%s archive bucket', (_n, t, name) => {
  test('versioned, Object Lock without a default retention, retained', () => {
    const b = bucket(t(), name);
    expect(b.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(b.Properties.ObjectLockEnabled).toBe(true);
    expect(b.Properties.ObjectLockConfiguration?.Rule).toBeUndefined();
    expect(b.DeletionPolicy).toBe('Retain');
  });

  test('SSE-KMS with its own rotating key and the archive alias', () => {
    const rule = bucket(t(), name).Properties.BucketEncryption.ServerSideEncryptionConfiguration[0];
    expect(rule.ServerSideEncryptionByDefault.SSEAlgorithm).toBe('aws:kms');
    expect(JSON.stringify(rule.ServerSideEncryptionByDefault.KMSMasterKeyID)).toMatch(/ArchiveKey/);
    t().hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    t().hasResourceProperties('AWS::KMS::Alias', {
      AliasName: `alias/${name}`,
    });
  });

  test('expires anything the purge missed in time to keep the closure promise', () => {
    const days = ledgerTimeline(config.retention).backstopExpirationDays;
    // Created on the archive day (grace + 1), expired by then, its version removed a day later.
    expect(config.retention.closureGraceDays + 1 + days + 1).toBeLessThanOrEqual(
      config.retention.closureGraceDays +
        config.retention.archiveRetentionDays +
        config.retention.ledgerMarginDays,
    );
    const rules = bucket(t(), name).Properties.LifecycleConfiguration.Rules;
    expect(rules).toContainEqual(
      expect.objectContaining({
        ExpirationInDays: days,
        NoncurrentVersionExpiration: { NoncurrentDays: 1 },
        Status: 'Enabled',
      }),
    );
  });

  test('TLS 1.2+ only, public access blocked, access logs by name', () => {
    const props = bucket(t(), name).Properties;
    expect(props.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(props.LoggingConfiguration.DestinationBucketName).toMatch(/-access-logs$/);
    const policy = JSON.stringify(t().findResources('AWS::S3::BucketPolicy'));
    expect(policy).toContain('"aws:SecureTransport":"false"');
    expect(policy).toContain('"s3:TlsVersion":1.2');
  });

  test('only the auditor (and, in the primary, the workers) may read objects', () => {
    const policies = Object.values(t().findResources('AWS::S3::BucketPolicy'));
    const deny = policies
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .find((s: Statement) => s.Sid === 'OnlyArchiveReadersReadObjects');
    expect(deny.Effect).toBe('Deny');
    expect(deny.Principal).toEqual({ AWS: '*' });
    expect(deny.Action).toEqual(expect.arrayContaining(['s3:GetObject', 's3:GetObjectVersion']));
    expect(JSON.stringify(deny.Condition.ArnNotEquals['aws:PrincipalArn'])).toMatch(
      /archive-auditor|Auditor/,
    );
  });
});

describe('primary archive bucket', () => {
  test('replicates to the secondary archive bucket with its key and delete markers', () => {
    const rule = bucket(primary, ARCHIVE).Properties.ReplicationConfiguration.Rules[0];
    expect(rule.Destination.Bucket).toBe(`arn:aws:s3:::${REPLICA}`);
    expect(JSON.stringify(rule.Destination.EncryptionConfiguration.ReplicaKmsKeyID)).toContain(
      `alias/${REPLICA}`,
    );
    expect(rule.DeleteMarkerReplication).toEqual({ Status: 'Enabled' });
  });

  test('the read deny excepts exactly the two workers, the auditor and replication', () => {
    const deny = Object.values(primary.findResources('AWS::S3::BucketPolicy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .find((s: Statement) => s.Sid === 'OnlyArchiveReadersReadObjects');
    const allowed = JSON.stringify(deny.Condition.ArnNotEquals['aws:PrincipalArn']);
    for (const role of [
      'WorkersArchiveRole',
      'WorkersPurgeRole',
      'AuditorRole',
      'ReplicationRole',
    ]) {
      expect(allowed).toContain(role);
    }
    expect(allowed).not.toMatch(/Admin|Sweep/);
  });

  test('the auditor role is read-only and needs MFA', () => {
    primary.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'logi-prod-archive-auditor',
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
          }),
        ],
      },
    });
    const managed = Object.values(primary.findResources('AWS::IAM::ManagedPolicy'));
    const actions = actionsOf(managed.flatMap((p) => p.Properties.PolicyDocument.Statement));
    expect(actions.every((a) => /^s3:(Get|List)|^kms:Decrypt$/.test(a))).toBe(true);
  });
});

describe('job queues', () => {
  test('two jobs queues redrive to their DLQs after 3 receives, KMS, visibility six times the 15-minute worker timeout', () => {
    const queues = Object.values(primary.findResources('AWS::SQS::Queue'));
    const jobs = queues.filter((q) => q.Properties.RedrivePolicy);
    expect(jobs).toHaveLength(2);
    for (const q of jobs) {
      expect(q.Properties.RedrivePolicy.maxReceiveCount).toBe(3);
      expect(q.Properties.VisibilityTimeout).toBe(6 * 900);
      expect(q.Properties.KmsMasterKeyId).toBeDefined();
    }
    const dlqs = queues.filter((q) => q.Properties.MessageRetentionPeriod === 14 * 24 * 3600);
    expect(dlqs).toHaveLength(3); // two job DLQs and the schedule's
    for (const q of queues) expect(q.Properties.KmsMasterKeyId).toBeDefined();
  });

  test('each worker consumes its own queue one message at a time with partial failures', () => {
    const mappings = Object.values(primary.findResources('AWS::Lambda::EventSourceMapping'));
    expect(mappings).toHaveLength(2);
    for (const m of mappings) {
      expect(m.Properties.BatchSize).toBe(1);
      expect(m.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    }
  });
});

describe('functions', () => {
  const cases: [string, RegExp, string[]][] = [
    ['deactivate', /^Deactivates/, ['TABLE_NAME', 'AUDIT_TABLE_NAME', 'GRACE_DAYS']],
    ['reactivate', /^Reactivates/, ['TABLE_NAME', 'AUDIT_TABLE_NAME']],
    ['status', /lifecycle state/, ['TABLE_NAME']],
    [
      'sweep',
      /^Daily sweep/,
      [
        'TABLE_NAME',
        'AUDIT_TABLE_NAME',
        'ARCHIVE_JOBS_QUEUE_URL',
        'PURGE_JOBS_QUEUE_URL',
        'LEASE_MINUTES',
      ],
    ],
    [
      'archive',
      /^Archives one tenant/,
      [
        'TABLE_NAME',
        'AUDIT_TABLE_NAME',
        'ARCHIVE_RETENTION_DAYS',
        'DB_HOST',
        'DB_PORT',
        'DB_NAME',
        'DB_USER',
        'NODE_EXTRA_CA_CERTS',
        'FILES_BUCKET',
        'FILES_REPLICA_BUCKET',
        'FILES_REPLICA_REGION',
        'ARCHIVE_BUCKET',
      ],
    ],
    ['purge', /^Purges one tenant/, ['TABLE_NAME', 'AUDIT_TABLE_NAME', 'ARCHIVE_BUCKET']],
  ];

  test.each(cases)('%s: Node.js 22 on arm64, in the VPC, with its variables', (_n, desc, vars) => {
    const fn = functionWithEntry(primary, desc).Properties;
    expect(fn.Runtime).toBe('nodejs22.x');
    expect(fn.Architectures).toEqual(['arm64']);
    expect(fn.VpcConfig).toBeDefined();
    expect(Object.keys(fn.Environment.Variables).sort()).toEqual(
      expect.arrayContaining([...vars].sort()),
    );
  });

  test('retention settings come from the config', () => {
    const deactivate = functionWithEntry(primary, /^Deactivates/).Properties;
    expect(deactivate.Environment.Variables.GRACE_DAYS).toBe(
      String(config.retention.closureGraceDays),
    );
    const archive = functionWithEntry(primary, /^Archives one tenant/).Properties;
    expect(archive.Environment.Variables).toEqual(
      expect.objectContaining({
        ARCHIVE_RETENTION_DAYS: String(config.retention.archiveRetentionDays),
        DB_USER: 'lifecycle_worker',
        FILES_REPLICA_BUCKET: 'logi-prod-ap-southeast-4-files',
        FILES_REPLICA_REGION: 'ap-southeast-4',
      }),
    );
    expect(archive.Timeout).toBe(900);
    expect(archive.MemorySize).toBe(1024);
  });

  test('the secondary region has the replica bucket only, no functions', () => {
    secondary.resourceCountIs('AWS::Lambda::Function', 0);
    secondary.resourceCountIs('AWS::SQS::Queue', 0);
    secondary.resourceCountIs('AWS::S3::Bucket', 1);
  });
});

describe('IAM', () => {
  test('the sweep queries the state-due index, never scans, never deletes', () => {
    const statements = statementsOf(primary, 'SweepRole');
    const query = statements.find((s) => s.Action === 'dynamodb:Query');
    expect(JSON.stringify(query?.Resource)).toContain('/index/state-due');
    const all = Object.values(primary.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement,
    );
    const actions = actionsOf(all);
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions).not.toContain('dynamodb:DeleteItem');
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
    expect(actionsOf(statements)).toContain('sqs:SendMessage');
  });

  test('the archive worker connects to the database as lifecycle_worker only', () => {
    const statements = statementsOf(primary, 'WorkersArchiveRole');
    const connect = statements.find((s) => s.Action === 'rds-db:connect');
    expect(JSON.stringify(connect?.Resource)).toContain('/lifecycle_worker');
  });

  test('the scheduler role may invoke the sweep function only', () => {
    const statements = statementsOf(primary, 'SweepSchedulerRole');
    const invoke = statements.find((s) => s.Action === 'lambda:InvokeFunction');
    expect(JSON.stringify(invoke?.Resource)).toMatch(/SweepSweepFunction|SweepFunction/);
    expect(JSON.stringify(invoke?.Resource)).not.toMatch(/Admin|Workers/);
  });
});

describe('schedule and alarms', () => {
  test('a daily schedule with retries and a dead-letter queue', () => {
    primary.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 2 * * ? *)',
      State: 'ENABLED',
      Target: Match.objectLike({
        RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 3 }),
        DeadLetterConfig: { Arn: Match.anyValue() },
      }),
    });
  });

  test('errors of each function, each DLQ and a missed sweep alarm on-call', () => {
    const alarms = Object.values(primary.findResources('AWS::CloudWatch::Alarm'));
    const errors = alarms.filter((a) => a.Properties.MetricName === 'Errors');
    expect(errors).toHaveLength(6);
    const dlq = alarms.filter(
      (a) => a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible',
    );
    expect(dlq).toHaveLength(3);
    for (const a of alarms) {
      expect(JSON.stringify(a.Properties.AlarmActions)).toMatch(/oncall/i);
    }
    primary.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Platform/Lifecycle',
      MetricName: 'SweepCompleted',
      Dimensions: [{ Name: 'Service', Value: 'lifecycle-sweep' }],
      Statistic: 'Sum',
      Period: 86400,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
  });
});

snapshotTests('Lifecycle');
