import type { Template } from 'aws-cdk-lib/assertions';
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

const actionsOf = (statements: Statement[]): string[] =>
  statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

describe.each([
  ['primary', () => primary, ARCHIVE],
  ['secondary', () => secondary, REPLICA],
])('%s archive bucket', (_n, t, name) => {
  // The bucket's own promises (versioning, lock, SSE-KMS, TLS, public access, deny statements):
  // test/constructs/lifecycle/archive-bucket.test.ts. Here, names, keys and config values.
  test('its own key under the archive alias of its region', () => {
    const rule = bucket(t(), name).Properties.BucketEncryption.ServerSideEncryptionConfiguration[0];
    expect(JSON.stringify(rule.ServerSideEncryptionByDefault.KMSMasterKeyID)).toMatch(/ArchiveKey/);
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

  test("access logs to the region's access-logs bucket, by name", () => {
    expect(bucket(t(), name).Properties.LoggingConfiguration.DestinationBucketName).toBe(
      name.replace(/-archive$/, '-access-logs'),
    );
  });

  test('only the auditor (and, in the primary, the workers) may read objects', () => {
    const policies = Object.values(t().findResources('AWS::S3::BucketPolicy'));
    const deny = policies
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .find((s: Statement) => s.Sid === 'OnlyArchiveReadersReadObjects');
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

  test('the auditor role has its deterministic name', () => {
    // Read-only, MFA: test/constructs/lifecycle/archive-auditor.test.ts.
    primary.hasResourceProperties('AWS::IAM::Role', { RoleName: 'logi-prod-archive-auditor' });
  });
});

describe('job queues', () => {
  // Redrive, encryption, visibility and the event sources: test/constructs/lifecycle/
  // jobs-queue.test.ts and archive-workers.test.ts.
  test('two job queues with their DLQs and the schedule DLQ, each worker on its own queue', () => {
    const queues = Object.values(primary.findResources('AWS::SQS::Queue'));
    expect(queues.filter((q) => q.Properties.RedrivePolicy)).toHaveLength(2);
    expect(queues).toHaveLength(5);
    primary.resourceCountIs('AWS::Lambda::EventSourceMapping', 2);
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

  // Runtime and architecture: test/constructs/core/platform-function.test.ts; every variable
  // against its contract: test/lambda/contracts.test.ts.
  test.each(cases)('%s: in the VPC, with its variables', (_n, desc, vars) => {
    const fn = functionWithEntry(primary, desc).Properties;
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

  test('the secondary region runs the sweep and both workers on its own cluster and queues', () => {
    const functions = Object.values(secondary.findResources('AWS::Lambda::Function'));
    const contractOf = (f: Resource): string =>
      f.Properties.Tags.find((t: { Key: string }) => t.Key === 'FunctionContract').Value;
    expect(functions.map(contractOf).sort()).toEqual([
      'lifecycle-sweep',
      'tenant-archive',
      'tenant-deactivate',
      'tenant-purge',
      'tenant-reactivate',
      'tenant-settings',
      'tenant-status',
    ]);
    for (const fn of functions) {
      // The replica in this region, by its global-table name (no cross-region reference).
      expect(fn.Properties.Environment.Variables.TABLE_NAME).toBe('logi-prod-tenants');
    }
    const byContract = (c: string) => functions.find((f) => contractOf(f) === c)!;
    // Each region's sweep gates on its own cluster being the global database's writer.
    for (const [t, cluster] of [
      [primary, 'logi-prod-ap-southeast-2-aurora'],
      [secondary, 'logi-prod-ap-southeast-4-aurora'],
    ] as const) {
      const sweep = Object.values(t.findResources('AWS::Lambda::Function')).find(
        (f) => contractOf(f) === 'lifecycle-sweep',
      )!;
      expect(sweep.Properties.Environment.Variables).toMatchObject({
        DB_CLUSTER_ID: cluster,
        GLOBAL_CLUSTER_ID: 'logi-prod-global-aurora',
      });
    }
    // The archive worker on this region's (secondary) cluster, from this region's Data stack;
    // the other region's file bucket as its replica.
    const archive = byContract('tenant-archive').Properties.Environment.Variables;
    expect(JSON.stringify(archive.DB_HOST)).toMatch(/prod-apse4-Data.*Endpoint/);
    expect(archive).toMatchObject({
      FILES_BUCKET: 'logi-prod-ap-southeast-4-files',
      FILES_REPLICA_BUCKET: 'logi-prod-ap-southeast-2-files',
      FILES_REPLICA_REGION: 'ap-southeast-2',
    });
    expect(bucket(secondary, REPLICA)).toBeDefined();
    expect(JSON.stringify(archive.ARCHIVE_BUCKET)).toMatch(/ArchiveBucket/);
    // Its own two job queues with dead-letter queues, the schedule's DLQ, the schedule, alarms.
    const queues = Object.values(secondary.findResources('AWS::SQS::Queue'));
    expect(queues.filter((q) => q.Properties.RedrivePolicy)).toHaveLength(2);
    expect(queues).toHaveLength(5);
    secondary.resourceCountIs('AWS::Lambda::EventSourceMapping', 2);
    secondary.resourceCountIs('AWS::Scheduler::Schedule', 1);
    const alarms = Object.values(secondary.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.filter((a) => a.Properties.MetricName === 'SweepCompleted')).toHaveLength(1);
    // Workers may write and read the replica archive; the auditor reads it.
    const deny = Object.values(secondary.findResources('AWS::S3::BucketPolicy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .find((st: Statement) => st.Sid === 'OnlyLifecycleWorkersWriteObjects');
    expect(JSON.stringify(deny.Condition.ArnNotEquals['aws:PrincipalArn'])).toMatch(
      /WorkersArchiveRole.*WorkersPurgeRole/,
    );
  });
});

describe('IAM', () => {
  test('no role of the stack scans, deletes registry items or has a wildcard action', () => {
    const all = Object.values(primary.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement,
    );
    const actions = actionsOf(all);
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions).not.toContain('dynamodb:DeleteItem');
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
  });

  // Each role's statements: test/constructs/lifecycle/sweep-schedule.test.ts, archive-workers.test.ts,
  // admin-functions.test.ts and registry-access.test.ts.
});

describe('schedule and alarms', () => {
  // The schedule and each alarm's metric: test/constructs/lifecycle/sweep-schedule.test.ts and
  // lifecycle-alarms.test.ts. Here, that every function and DLQ of the stack has one, to on-call.
  test('errors of each function, each DLQ and a missed sweep alarm on-call', () => {
    primary.resourceCountIs('AWS::Scheduler::Schedule', 1);
    const alarms = Object.values(primary.findResources('AWS::CloudWatch::Alarm'));
    const errors = alarms.filter((a) => a.Properties.MetricName === 'Errors');
    expect(errors).toHaveLength(7); // the six lifecycle functions and the settings function
    const dlq = alarms.filter(
      (a) => a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible',
    );
    expect(dlq).toHaveLength(3);
    expect(alarms.filter((a) => a.Properties.MetricName === 'SweepCompleted')).toHaveLength(1);
    for (const a of alarms) {
      expect(JSON.stringify(a.Properties.AlarmActions)).toMatch(/oncall/i);
    }
  });
});

snapshotTests('Lifecycle');
