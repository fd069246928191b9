import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import type {
  ArchiveRequest,
  ArchiveResult,
} from '../../../../lambda/shared/archive/archive-tenant';
import type { PurgeRequest } from '../../../../lambda/shared/archive/purge-tenant';
import { runJobBatch } from '../../../../lambda/shared/lifecycle/job-batch';
import { deriveArchiveId } from '../../../../lambda/shared/lifecycle/archive-id';
import type { RegistryTables } from '../../../../lambda/shared/tenant-registry/tenant-registry';
import { TenantRegistry } from '../../../../lambda/shared/tenant-registry/tenant-registry';
import type { ArchiveWorkerDeps } from '../../../../lambda/tenant-archive/archive-job';
import { processArchiveJob } from '../../../../lambda/tenant-archive/archive-job';
import { processPurgeJob } from '../../../../lambda/tenant-purge/purge-job';
import type { TestMoto } from '../../../support/moto';
import { startMoto } from '../../../support/moto';
import {
  auditTrail,
  createRegistryTables,
  motoDocumentClient,
  quietLogger,
  registerTenant,
} from '../../../support/lifecycle/registry-tables';
import { standaloneWriter } from '../../../../lambda/shared/lifecycle/writer-region';

const policy = { graceDays: 90, archiveRetentionDays: 365, leaseMinutes: 60, maxClaims: 5 };
const deactivatedAt = '2026-01-01T00:00:00.000Z';

let moto: TestMoto;
let doc: DynamoDBDocumentClient;
let tables: RegistryTables;
let registry: TenantRegistry;
let now: Date;
let archiveCalls: ArchiveRequest[];
let purgeCalls: PurgeRequest[];
let userDeletions: string[];
let engineFails: Error | undefined;
const logger = quietLogger();

beforeAll(async () => {
  moto = await startMoto();
  const clients = motoDocumentClient(moto);
  doc = clients.doc;
  tables = await createRegistryTables(clients.ddb);
  registry = new TenantRegistry(doc, tables);
});
afterAll(async () => moto?.stop());
beforeEach(() => {
  now = new Date('2026-04-02T00:00:00.000Z');
  archiveCalls = [];
  purgeCalls = [];
  userDeletions = [];
  engineFails = undefined;
  jest.restoreAllMocks();
});

const archiveDeps = () => ({
  clock: () => now,
  logger,
  registry,
  policy,
  writer: standaloneWriter('test-aurora'),
  archive: async (req: ArchiveRequest): Promise<ArchiveResult> => {
    archiveCalls.push(req);
    if (engineFails) throw engineFails;
    return {
      status: 'complete',
      archiveId: req.archiveId,
      manifestKey: `archive/${req.tenantId}/${req.archiveId}/manifest.json`,
      rowCounts: { shipments: 3, invoices: 2 },
      objectCount: 4,
      retainUntil: req.retainUntil,
    };
  },
});
const purgeDeps = () => ({
  clock: () => now,
  logger,
  registry,
  policy,
  purge: async (req: PurgeRequest) => {
    purgeCalls.push(req);
    if (engineFails) throw engineFails;
    return { deletedVersions: 6 };
  },
  deleteUsers: async (tenantId: string) => {
    userDeletions.push(tenantId);
    return { deleted: 3, groupDeleted: true };
  },
});

const sqsEvent = (...bodies: string[]): SQSEvent =>
  ({ Records: bodies.map((body, i) => ({ messageId: `m${i}`, body })) }) as SQSEvent;
const archiveBatch = (...bodies: string[]) =>
  runJobBatch(sqsEvent(...bodies), 'archive', logger, (j) => processArchiveJob(archiveDeps(), j));
const purgeBatch = (...bodies: string[]) =>
  runJobBatch(sqsEvent(...bodies), 'purge', logger, (j) => processPurgeJob(purgeDeps(), j));

let n = 0;
async function tenantIn(
  state: string,
  extra: Record<string, unknown> = {},
): Promise<{ id: string; archiveId: string }> {
  n += 1;
  const id = `w-${n}`;
  const archiveId = deriveArchiveId(id, deactivatedAt);
  const byState: Record<string, Record<string, unknown>> = {
    ACTIVE: {},
    DEACTIVATED: {
      deactivatedAt,
      graceEndsAt: '2026-04-01T00:00:00.000Z',
      dueAt: '2026-04-01T00:00:00.000Z',
    },
    ARCHIVING: {
      deactivatedAt,
      archiveId,
      archivingStartedAt: '2026-04-02T00:00:00.000Z',
      dueAt: '2026-04-02T01:00:00.000Z',
      claimCount: 1,
    },
    ARCHIVED: {
      deactivatedAt,
      archiveId,
      archivedAt: '2026-04-02T00:00:00.000Z',
      purgeAt: '2027-04-02T00:00:00.000Z',
      dueAt: '2027-04-02T00:00:00.000Z',
    },
    PURGING: {
      deactivatedAt,
      archiveId,
      archivedAt: '2026-04-02T00:00:00.000Z',
      purgeAt: '2027-04-02T00:00:00.000Z',
      dueAt: '2027-04-02T01:00:00.000Z',
    },
  };
  await registerTenant(doc, tables.registry, id, {
    lifecycleState: state,
    version: 5,
    contactEmail: 'x@y.example',
    ...byState[state],
    ...extra,
  });
  return { id, archiveId };
}
const job = (type: string, tenantId: string, archiveId: string, version = 5) =>
  JSON.stringify({ type, tenantId, version, archiveId });

describe('archive and purge workers', () => {
  it('archives an ARCHIVING tenant: engine called with the purge date as lock end, then ARCHIVED', async () => {
    const { id, archiveId } = await tenantIn('ARCHIVING');
    expect(await archiveBatch(job('archive', id, archiveId))).toEqual({ batchItemFailures: [] });
    expect(archiveCalls).toEqual([
      { tenantId: id, archiveId, retainUntil: new Date('2027-04-02T00:00:00.000Z') },
    ]);
    expect(await registry.get(id)).toMatchObject({
      lifecycleState: 'ARCHIVED',
      version: 6,
      purgeAt: '2027-04-02T00:00:00.000Z',
      dueAt: '2027-04-02T00:00:00.000Z',
    });
    expect((await auditTrail(doc, tables.audit, id))[0]).toMatchObject({
      event: 'archive-complete',
      archiveId,
      details: { rowCount: 5, objectCount: 4 },
    });
    // a duplicate delivery is acknowledged without calling the engine again
    expect(await archiveBatch(job('archive', id, archiveId))).toEqual({ batchItemFailures: [] });
    expect(archiveCalls).toHaveLength(1);
  });

  it('a retry days later uses the lock end fixed at the claim, not one from its own clock', async () => {
    const fixed = '2027-04-01T00:00:00.000Z';
    const { id, archiveId } = await tenantIn('ARCHIVING', {
      archivingStartedAt: '2026-04-01T00:00:00.000Z',
      archiveRetainUntil: fixed,
    });
    now = new Date('2026-04-03T00:00:00.000Z'); // the first try crashed; this is the retry
    expect(await archiveBatch(job('archive', id, archiveId))).toEqual({ batchItemFailures: [] });
    expect(archiveCalls).toEqual([{ tenantId: id, archiveId, retainUntil: new Date(fixed) }]);
    expect(await registry.get(id)).toMatchObject({ lifecycleState: 'ARCHIVED' });
  });

  it('a tenant claimed before the lock end was stored derives it from archivingStartedAt', async () => {
    const { id, archiveId } = await tenantIn('ARCHIVING', {
      archivingStartedAt: '2026-04-01T00:00:00.000Z',
    });
    now = new Date('2026-04-05T00:00:00.000Z');
    await archiveBatch(job('archive', id, archiveId));
    expect(archiveCalls[0]?.retainUntil).toEqual(new Date('2027-04-01T00:00:00.000Z'));
  });

  it('an engine that checkpointed (out of time) fails the message for its next delivery, state kept', async () => {
    const { id, archiveId } = await tenantIn('ARCHIVING');
    const budgets: unknown[] = [];
    const deps: ArchiveWorkerDeps = {
      ...archiveDeps(),
      archive: async (req, budget) => {
        budgets.push(budget);
        return { status: 'in-progress', archiveId: req.archiveId, next: 'build' };
      },
    };
    const budget = { remainingMs: () => 1 };
    const batch = await runJobBatch(
      sqsEvent(job('archive', id, archiveId)),
      'archive',
      logger,
      (j) => processArchiveJob(deps, j, budget),
    );
    expect(batch).toEqual({ batchItemFailures: [{ itemIdentifier: 'm0' }] });
    expect(budgets).toEqual([budget]);
    // The checkpoint renewed the lease (now + leaseMinutes), state and archive kept.
    expect(await registry.get(id)).toMatchObject({
      lifecycleState: 'ARCHIVING',
      archiveId,
      version: 6,
      dueAt: '2026-04-02T01:00:00.000Z',
    });
  });

  it('completes even when a sweep re-claimed the tenant while the engine ran', async () => {
    const { id, archiveId } = await tenantIn('ARCHIVING');
    const deps = archiveDeps();
    const inner = deps.archive;
    deps.archive = async (req) => {
      await registerTenant(doc, tables.registry, id, {
        lifecycleState: 'ARCHIVING',
        version: 6,
        deactivatedAt,
        archiveId,
        dueAt: '2026-04-02T02:00:00.000Z',
        claimCount: 2,
      });
      return inner(req);
    };
    await processArchiveJob(deps, { type: 'archive', tenantId: id, version: 5, archiveId });
    expect(await registry.get(id)).toMatchObject({ lifecycleState: 'ARCHIVED', version: 7 });
  });

  it('purges a PURGING tenant past its date and keeps a tombstone without personal data', async () => {
    const { id, archiveId } = await tenantIn('PURGING', {
      deactivatedBy: 'sub-1',
      deactivationReason: 'left',
    });
    now = new Date('2027-04-02T00:30:00.000Z');
    expect(await purgeBatch(job('purge', id, archiveId))).toEqual({ batchItemFailures: [] });
    const raw = await registry.get(id);
    expect(raw).toMatchObject({
      lifecycleState: 'PURGED',
      version: 6,
      archiveId,
      purgedAt: '2027-04-02T00:30:00.000Z',
    });
    expect(raw!.attributeNames).toEqual([
      'archiveId',
      'archivedAt',
      'deactivatedAt',
      'lifecycleState',
      'purgeAt',
      'purgedAt',
      'tenantId',
      'updatedAt',
      'version',
    ]);
    // The tenant's Cognito users and group went with the archive, counted in the audit.
    expect(userDeletions).toEqual([id]);
    const purged = (await auditTrail(doc, tables.audit, id)).find(
      (a) => a.event === 'purge-complete',
    );
    expect(purged?.details).toEqual({ deletedVersions: 6, deletedUsers: 3 });
    expect(await purgeBatch(job('purge', id, archiveId))).toEqual({ batchItemFailures: [] });
    expect(purgeCalls).toHaveLength(1);
  });
});

describe('worker bad input: a clear error, nothing changed, logged, message failed (DLQ)', () => {
  async function refused(
    batch: () => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>,
    id: string | undefined,
    pattern: RegExp,
  ) {
    const error = jest.spyOn(logger, 'error');
    const before = id ? await registry.get(id) : undefined;
    expect(await batch()).toEqual({ batchItemFailures: [{ itemIdentifier: 'm0' }] });
    expect(error).toHaveBeenCalledWith(
      expect.stringMatching(/job (refused|failed)/),
      expect.objectContaining({ messageId: 'm0' }),
    );
    expect(JSON.stringify(error.mock.calls)).toMatch(pattern);
    if (id) {
      expect(await registry.get(id)).toEqual(before);
      expect(await auditTrail(doc, tables.audit, id)).toEqual([]);
    }
    expect(archiveCalls).toEqual([]);
    expect(purgeCalls).toEqual([]);
    expect(userDeletions).toEqual([]);
  }

  it.each([
    ['not JSON', 'nope', /message body is not JSON/],
    ['the wrong job type', job('purge', 'w-x', 'a1'), /field type must be \\"archive\\"/],
    ['a bad tenant id', job('archive', '../x', 'a1'), /field tenantId/],
    [
      'no version',
      JSON.stringify({ type: 'archive', tenantId: 'w-x', archiveId: 'a1' }),
      /field version/,
    ],
    ['a bad archive id', job('archive', 'w-x', 'a/b'), /field archiveId/],
  ])('a malformed message (%s)', async (_what, body, pattern) => {
    await refused(() => archiveBatch(body), undefined, pattern);
  });

  it('an unknown tenant', async () => {
    await refused(() => archiveBatch(job('archive', 'w-ghost', 'a1')), undefined, /UNKNOWN_TENANT/);
  });

  it.each([['ACTIVE'], ['DEACTIVATED']])('an archive of a %s tenant', async (state) => {
    const { id, archiveId } = await tenantIn(state);
    await refused(
      () => archiveBatch(job('archive', id, archiveId)),
      id,
      new RegExp(`WRONG_STATE: archive of tenant ${id} refused: it is ${state}`),
    );
  });

  it('an archive job naming another archive', async () => {
    const { id } = await tenantIn('ARCHIVING');
    await refused(() => archiveBatch(job('archive', id, 'other-archive')), id, /ARCHIVE_MISMATCH/);
  });

  it('a purge before its date (ARCHIVED, not yet claimed)', async () => {
    const { id, archiveId } = await tenantIn('ARCHIVED');
    await refused(
      () => purgeBatch(job('purge', id, archiveId)),
      id,
      /NOT_DUE: purge of tenant .* refused: it is ARCHIVED.*purge date 2027-04-02/,
    );
  });

  it('a purge of a PURGING tenant before its purge date', async () => {
    const { id, archiveId } = await tenantIn('PURGING');
    now = new Date('2027-04-01T23:59:59.000Z');
    await refused(
      () => purgeBatch(job('purge', id, archiveId)),
      id,
      /NOT_DUE: purge of tenant .* its archive is kept until 2027-04-02/,
    );
  });

  it('an engine failure fails the message and leaves the registry ARCHIVING for a retry', async () => {
    const { id, archiveId } = await tenantIn('ARCHIVING');
    engineFails = Object.assign(new Error('ROW_COUNT_MISMATCH: rolled back'), {
      code: 'ROW_COUNT_MISMATCH',
    });
    const error = jest.spyOn(logger, 'error');
    expect(await archiveBatch(job('archive', id, archiveId))).toEqual({
      batchItemFailures: [{ itemIdentifier: 'm0' }],
    });
    expect(error).toHaveBeenCalledWith(
      'archive job failed',
      expect.objectContaining({ code: 'ROW_COUNT_MISMATCH', tenantId: id }),
    );
    expect(await registry.get(id)).toMatchObject({ lifecycleState: 'ARCHIVING', version: 5 });
  });

  it('an event without records is logged and ignored', async () => {
    const warn = jest.spyOn(logger, 'warn');
    expect(await runJobBatch({} as SQSEvent, 'archive', logger, async () => 'x')).toEqual({
      batchItemFailures: [],
    });
    expect(warn).toHaveBeenCalledWith('event without SQS records ignored', expect.anything());
  });
});
