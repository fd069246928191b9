import 'aws-sdk-client-mock-jest';
import { DescribeGlobalClustersCommand, RDSClient } from '@aws-sdk/client-rds';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handleSweep } from '../../../lambda/lifecycle-sweep/sweep-handler';
import type { ArchiveRequest, ArchiveResult } from '../../../lambda/shared/archive/archive-tenant';
import { runJobBatch } from '../../../lambda/shared/lifecycle/job-batch';
import {
  globalClusterWriter,
  postgresWriter,
} from '../../../lambda/shared/lifecycle/writer-region';
import type { RegistryTables } from '../../../lambda/shared/tenant-registry/tenant-registry';
import { TenantRegistry } from '../../../lambda/shared/tenant-registry/tenant-registry';
import { processArchiveJob } from '../../../lambda/tenant-archive/archive-job';
import type { TestMoto } from '../../support/moto';
import { startMoto } from '../../support/moto';
import type { PairMember, PostgresPair } from '../../support/postgres-pair';
import { startPostgresPair } from '../../support/postgres-pair';
import {
  auditTrail,
  createRegistryTables,
  motoDocumentClient,
  quietLogger,
  registerTenant,
} from '../../support/lifecycle/registry-tables';

/**
 * Two regions of one environment: one registry (the global table), a global database whose
 * writer is region P's PostgreSQL and whose secondary is region S's streaming standby. Each region
 * runs its own sweep (gated by DescribeGlobalClusters) and archive worker (gated by
 * pg_is_in_recovery() on its own server), as the Lifecycle stacks deploy them. Then the writer
 * moves (S promoted, P's server rejoins read-only) and the jobs must follow it.
 */
const policy = { graceDays: 90, archiveRetentionDays: 365, leaseMinutes: 60, maxClaims: 5 };
const GLOBAL = 'logi-prod-global-aurora';
const CLUSTER = { P: 'logi-prod-apse2-aurora', S: 'logi-prod-apse4-aurora' } as const;
type Region = keyof typeof CLUSTER;

let moto: TestMoto;
let doc: DynamoDBDocumentClient;
let tables: RegistryTables;
let registry: TenantRegistry;
let pair: PostgresPair;

beforeAll(async () => {
  [moto, pair] = await Promise.all([startMoto(), startPostgresPair()]);
  const clients = motoDocumentClient(moto);
  doc = clients.doc;
  tables = await createRegistryTables(clients.ddb);
  registry = new TenantRegistry(doc, tables);
  const db = await pair.a.client();
  await db.query('CREATE TABLE archived_by (tenant_id text PRIMARY KEY, region text NOT NULL)');
  await db.end();
}, 60_000);
afterAll(async () => {
  await pair?.stop();
  await moto?.stop();
});

/** The global database as DescribeGlobalClusters reports it. */
const globalDb = { writer: 'P' as Region };

function region(name: Region, server: PairMember) {
  const rds = new RDSClient({ region: 'ap-southeast-2' });
  mockClient(rds)
    .on(DescribeGlobalClustersCommand, { GlobalClusterIdentifier: GLOBAL })
    .callsFake(async () => ({
      GlobalClusters: [
        {
          GlobalClusterIdentifier: GLOBAL,
          GlobalClusterMembers: (['P', 'S'] as const).map((r) => ({
            DBClusterArn: `arn:aws:rds:ap-southeast-${r === 'P' ? 2 : 4}:1:cluster:${CLUSTER[r]}`,
            IsWriter: globalDb.writer === r,
          })),
        },
      ],
    }));
  const sqs = new SQSClient({ region: 'ap-southeast-2' });
  const sqsMock = mockClient(sqs);
  sqsMock.on(SendMessageCommand).resolves({ MessageId: 'm' });
  const logger = quietLogger();
  const info = jest.spyOn(logger, 'info');
  const metrics: Record<string, unknown>[] = [];
  let sentSoFar = 0;
  return {
    info,
    metrics,
    sweep: (now: Date) =>
      handleSweep(
        {
          registry,
          sqs,
          queueUrls: { archive: `https://q/${name}/archive`, purge: `https://q/${name}/purge` },
          policy,
          clock: () => now,
          logger,
          writer: globalClusterWriter(rds, {
            globalClusterIdentifier: GLOBAL,
            clusterIdentifier: CLUSTER[name],
          }),
          emit: (line) => void metrics.push(JSON.parse(line)),
        },
        {},
      ),
    /** Messages this region's sweep sent since the last call. */
    takeSent: (): string[] => {
      const all = sqsMock.commandCalls(SendMessageCommand).map((c) => c.args[0].input);
      const fresh = all.slice(sentSoFar);
      sentSoFar = all.length;
      for (const m of fresh) expect(m.QueueUrl).toBe(`https://q/${name}/archive`);
      return fresh.map((m) => m.MessageBody!);
    },
    /** This region's archive worker on its own server; the engine writes to that server. */
    deliver: async (body: string, now: Date) => {
      const archive = async (req: ArchiveRequest): Promise<ArchiveResult> => {
        const db = await server.client();
        try {
          await db.query('INSERT INTO archived_by VALUES ($1, $2)', [req.tenantId, name]);
        } finally {
          await db.end();
        }
        return {
          status: 'complete',
          archiveId: req.archiveId,
          manifestKey: `archive/${req.tenantId}/${req.archiveId}/manifest.json`,
          rowCounts: { shipments: 1 },
          objectCount: 0,
          retainUntil: req.retainUntil,
        };
      };
      const writer = async () => {
        const db = await server.client();
        try {
          return await postgresWriter(db, `${name}:${server.port}`);
        } finally {
          await db.end();
        }
      };
      const outcomes: string[] = [];
      const batch = await runJobBatch(
        { Records: [{ messageId: 'm', body }] } as SQSEvent,
        'archive',
        logger,
        async (job) => {
          const outcome = await processArchiveJob(
            { registry, policy, logger, clock: () => now, archive, writer },
            job,
          );
          outcomes.push(outcome);
          return outcome;
        },
      );
      return { failures: batch.batchItemFailures.length, outcome: outcomes[0] };
    },
  };
}

async function dueTenant(id: string, graceEndsAt: string): Promise<void> {
  await registerTenant(doc, tables.registry, id, {
    lifecycleState: 'DEACTIVATED',
    version: 2,
    deactivatedAt: '2026-01-01T00:00:00.000Z',
    graceEndsAt,
    dueAt: graceEndsAt,
  });
}

async function archivedBy(): Promise<Record<string, string>> {
  // Read on whichever server is the writer now (both see the same rows through replication).
  const db = await (globalDb.writer === 'P' ? pair.a : pair.b).client();
  try {
    const { rows } = await db.query('SELECT tenant_id, region FROM archived_by ORDER BY 1');
    return Object.fromEntries(rows.map((r) => [r.tenant_id, r.region]));
  } finally {
    await db.end();
  }
}

test('the writer moves: the old region claims and archives nothing, the next jobs follow the writer', async () => {
  const P = region('P', pair.a);
  const S = region('S', pair.b);
  await dueTenant('before', '2026-04-01T00:00:00.000Z');
  await dueTenant('inflight', '2026-04-01T00:00:00.000Z');
  await dueTenant('after', '2026-04-03T00:00:00.000Z');
  const day1 = new Date('2026-04-02T02:00:00.000Z');

  // Before: P is the writer. Its sweep claims; S's sweep claims nothing and says so.
  expect(await S.sweep(day1)).toMatchObject({ writer: false, claimed: 0, queryPages: 0 });
  expect(S.takeSent()).toEqual([]);
  expect(S.metrics[0]).toMatchObject({ SweepCompleted: 1, WriterRegion: 0, TenantsClaimed: 0 });
  expect(S.info).toHaveBeenCalledWith(
    expect.stringMatching(/not the database writer: claims nothing/),
    expect.objectContaining({ writerDetail: expect.stringMatching(/a secondary \(read-only\)/) }),
  );
  expect(await P.sweep(day1)).toMatchObject({ writer: true, claimed: 2 });
  expect(P.metrics[0]).toMatchObject({ WriterRegion: 1, TenantsClaimed: 2 });
  const [before, inflight] = P.takeSent().sort((x, y) =>
    JSON.parse(x).tenantId.localeCompare(JSON.parse(y).tenantId),
  );
  expect(await P.deliver(before, day1)).toEqual({ failures: 0, outcome: 'completed' });
  expect(await registry.get('before')).toMatchObject({ lifecycleState: 'ARCHIVED' });

  // Switchover: S's cluster becomes the writer, P's rejoins read-only.
  await pair.failover();
  globalDb.writer = 'S';
  const day2 = new Date('2026-04-03T02:00:00.000Z');

  // The job P's sweep sent before the switchover reaches P's worker: its server is read-only
  // now, so the job is given back (lease ended now), not failed against a read-only database.
  expect(await P.deliver(inflight, day2)).toEqual({ failures: 0, outcome: 'handed-back' });
  expect(await registry.get('inflight')).toMatchObject({
    lifecycleState: 'ARCHIVING',
    dueAt: day2.toISOString(),
  });

  // P's sweep claims nothing now; S's sweep claims the new due tenant and the given-back one.
  expect(await P.sweep(day2)).toMatchObject({ writer: false, claimed: 0 });
  expect(P.takeSent()).toEqual([]);
  expect(await S.sweep(day2)).toMatchObject({ writer: true, claimed: 2 });
  const jobs = S.takeSent();
  expect(jobs.map((j) => JSON.parse(j).tenantId).sort()).toEqual(['after', 'inflight']);
  for (const job of jobs) {
    expect(await S.deliver(job, day2)).toEqual({ failures: 0, outcome: 'completed' });
  }
  expect(await registry.get('after')).toMatchObject({ lifecycleState: 'ARCHIVED' });
  const inflightRecord = await registry.get('inflight');
  expect(inflightRecord?.lifecycleState).toBe('ARCHIVED');
  expect(inflightRecord?.claimCount).toBeUndefined();
  // Written on each region's own server while it was the writer; nothing on the read-only one.
  expect(await archivedBy()).toEqual({ after: 'S', before: 'P', inflight: 'S' });
  expect((await auditTrail(doc, tables.audit, 'inflight')).map((a) => a.event)).toEqual([
    'archive-claim',
    'archive-lease-release',
    'archive-reclaim',
    'archive-complete',
  ]);

  // The given-back message delivered again to P (an SQS duplicate) does nothing.
  expect(await P.deliver(inflight, day2)).toEqual({ failures: 0, outcome: 'already-done' });
}, 60_000);
