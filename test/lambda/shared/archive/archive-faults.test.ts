import { CreateMultipartUploadCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { ArchiveManifest, ArchiveRequest } from '../../../../lambda/shared/archive';
import {
  archiveTenant,
  inspectTenantArchives,
  isArchiveError,
  readManifest,
} from '../../../../lambda/shared/archive';
import { countTenantRows, expectedCounts, seedTenant } from './fixtures/logistics-schema';
import type { ArchiveWorld, Buckets, LogisticsDb } from './fixtures/world';
import {
  countVersions,
  crashAfter,
  createBuckets,
  depsFor,
  InjectedCrash,
  recordingLogger,
  seedFiles,
  startWorld,
} from './fixtures/world';

const A = 'acme-freight';
const B = 'globex-logistics';
const N = 12;
const request: ArchiveRequest = {
  tenantId: A,
  archiveId: 'closure-2026-03',
  retainUntil: new Date('2030-01-01T00:00:00.000Z'),
};
const clock = () => new Date('2026-03-01T00:00:00.000Z');
const later = () => new Date('2026-03-03T06:00:00.000Z');
const DELETION_ORDER = ['invoices', 'proof_of_delivery', 'parcels', 'shipments'];
const STEPS = [
  'freeze',
  'export:invoices',
  'export:parcels',
  'export:proof_of_delivery',
  'export:shipments',
  'copy:1',
  'copy:done',
  'manifest',
  'lock',
  'verify',
  ...DELETION_ORDER.map((t) => `delete-rows:${t}`),
  'delete-files:primary',
  'delete-files:replica',
];
const ZERO_ROWS = { invoices: 0, parcels: 0, proof_of_delivery: 0, shipments: 0 };
const NO_FILES = { versions: 0, deleteMarkers: 0 };

/** What must not change between a clean run and a crashed-then-rerun one (ids are per bucket). */
function content(manifest: ArchiveManifest): unknown {
  return {
    ...manifest,
    tables: manifest.tables.map(({ versionId: _v, ...rest }) => rest),
    files: manifest.files.map(({ versionId: _v, sourceVersionId: _s, ...rest }) => rest),
    liveVersions: {
      primary: manifest.liveVersions?.primary.map((v) => v.key).sort(),
      replica: manifest.liveVersions?.replica.map((v) => v.key).sort(),
    },
  };
}

/** One isolated scenario: its own database and buckets, tenants A and B seeded identically. */
interface Scenario {
  readonly db: LogisticsDb;
  readonly buckets: Buckets;
  readonly fileCounts: { versions: number; deleteMarkers: number };
}

let world: ArchiveWorld;
let setup: Promise<{ reference: ArchiveManifest }> | undefined;

async function scenario(): Promise<Scenario> {
  const db = await world.openDatabase();
  for (const tenant of [A, B]) await seedTenant(db.admin, tenant, N);
  const buckets = await createBuckets(world);
  const fileCounts = await seedFiles(world, buckets, A);
  await seedFiles(world, buckets, B);
  return { db, buckets, fileCounts };
}

/** Concurrent tests do not wait for beforeAll: each awaits this shared set-up instead. */
function ready(): Promise<{ reference: ArchiveManifest }> {
  setup ??= (async () => {
    world = await startWorld();
    const { db, buckets } = await scenario();
    await archiveTenant(depsFor(world, db, buckets, { clock }), request);
    const stored = await readManifest(world.primary, buckets.archive, A, request.archiveId);
    return { reference: stored!.manifest };
  })();
  return setup;
}

async function liveState({ db, buckets }: Scenario) {
  return {
    rows: await countTenantRows(db.admin, A),
    primary: await countVersions(world.primary, buckets.files, `tenants/${A}/`),
    replica: await countVersions(world.replica, buckets.replica, `tenants/${A}/`),
  };
}

afterAll(async () => world?.stop());

test.concurrent.each(STEPS)('a crash after %s, then a rerun, converges', async (step) => {
  const { reference } = await ready();
  const s = await scenario();
  const deps = (options: Parameters<typeof depsFor>[3] = {}) =>
    depsFor(world, s.db, s.buckets, { clock, ...options });
  const intact = await liveState(s);
  expect(intact.rows).toEqual(expectedCounts(N));

  await expect(archiveTenant(deps({ faults: crashAfter(step) }), request)).rejects.toBeInstanceOf(
    InjectedCrash,
  );

  // Nothing is deleted before the archive is verified; afterwards, only in the stated order.
  const crashed = await liveState(s);
  const stepIndex = STEPS.indexOf(step);
  if (stepIndex <= STEPS.indexOf('verify')) {
    expect(crashed).toEqual(intact);
  } else if (step.startsWith('delete-rows:')) {
    const done = DELETION_ORDER.slice(0, DELETION_ORDER.indexOf(step.split(':')[1]!) + 1);
    const rows = { ...expectedCounts(N), ...Object.fromEntries(done.map((t) => [t, 0])) };
    expect(crashed).toEqual({ ...intact, rows });
  } else if (step === 'delete-files:primary') {
    expect(crashed).toEqual({ ...intact, rows: ZERO_ROWS, primary: NO_FILES });
  }
  const atCrash = await readManifest(world.primary, s.buckets.archive, A, request.archiveId);
  expect(atCrash === undefined).toBe(stepIndex < STEPS.indexOf('manifest'));

  if (step === 'export:parcels') {
    // Also leave a multipart upload behind, as a crash in the middle of the next table would.
    await world.primary.send(
      new CreateMultipartUploadCommand({
        Bucket: s.buckets.archive,
        Key: `archive/${A}/${request.archiveId}/db/proof_of_delivery.jsonl.gz`,
      }),
    );
  }

  const logger = recordingLogger();
  // The retry comes later (a redelivery hours after the crash): it must converge all the same.
  const result = await archiveTenant(deps({ logger, clock: later }), request);

  expect(await liveState(s)).toEqual({ rows: ZERO_ROWS, primary: NO_FILES, replica: NO_FILES });
  expect(await countTenantRows(s.db.admin, B)).toEqual(expectedCounts(N));
  expect(await countVersions(world.primary, s.buckets.files, `tenants/${B}/`)).toEqual(
    s.fileCounts,
  );
  expect(await countVersions(world.replica, s.buckets.replica, `tenants/${B}/`)).toEqual(
    s.fileCounts,
  );

  const final = (await readManifest(world.primary, s.buckets.archive, A, request.archiveId))!;
  // The plan (and its time) is fixed by the first run that got past the freeze; a crash right
  // after the freeze left none, so the later retry plans, at its own time.
  const plannedAt = (step === 'freeze' ? later : clock)().toISOString();
  expect(content(final.manifest)).toEqual(content({ ...reference, createdAt: plannedAt }));
  expect(result.rowCounts).toEqual(expectedCounts(N));
  if (atCrash) expect(final.versionId).toBe(atCrash.versionId); // never rewritten
  // One archive, one version per object, no leftover upload.
  expect(await inspectTenantArchives(deps(), A)).toEqual([
    {
      archiveId: request.archiveId,
      complete: true,
      versions: reference.objectCount + 1,
      pendingUploads: 0,
    },
  ]);
  const rebuilt = logger.entries.some(
    (e) => e.level === 'warn' && /partial archive/.test(e.message),
  );
  // A crash after the freeze but before the plan leaves nothing to resume from.
  expect(rebuilt).toBe(
    stepIndex > STEPS.indexOf('freeze') && stepIndex < STEPS.indexOf('manifest'),
  );
});

test.concurrent('an unexpected object in a complete archive fails the rerun, nothing deleted', async () => {
  await ready();
  const s = await scenario();
  await expect(
    archiveTenant(depsFor(world, s.db, s.buckets, { clock, faults: crashAfter('lock') }), request),
  ).rejects.toBeInstanceOf(InjectedCrash);
  const intact = await liveState(s);
  await world.primary.send(
    new PutObjectCommand({
      Bucket: s.buckets.archive,
      Key: `archive/${A}/${request.archiveId}/files/stray.bin`,
      Body: 'not in the manifest',
    }),
  );
  const failure = await archiveTenant(depsFor(world, s.db, s.buckets, { clock }), request).catch(
    (e: unknown) => e,
  );
  expect(isArchiveError(failure, 'ARCHIVE_INTEGRITY')).toBe(true);
  expect(String(failure)).toMatch(/unexpected object .*stray\.bin/);
  expect(await liveState(s)).toEqual(intact);
});

test.concurrent('rows added after the export make the deletion fail, nothing deleted', async () => {
  await ready();
  const s = await scenario();
  await expect(
    archiveTenant(
      depsFor(world, s.db, s.buckets, { clock, faults: crashAfter('verify') }),
      request,
    ),
  ).rejects.toBeInstanceOf(InjectedCrash);
  await s.db.admin.query(
    `INSERT INTO app.invoices VALUES ($1, 9999, 1, 1.00, 'AUD', '2026-05-01', '[]')`,
    [A],
  );
  const failure = await archiveTenant(depsFor(world, s.db, s.buckets, { clock }), request).catch(
    (e: unknown) => e,
  );
  expect(isArchiveError(failure, 'ROW_COUNT_MISMATCH')).toBe(true);
  expect(String(failure)).toMatch(/invoices has 13 live rows, the archive 12/);
  expect(await liveState(s)).toEqual({
    rows: { ...expectedCounts(N), invoices: N + 1 },
    primary: s.fileCounts,
    replica: s.fileCounts,
  });
});

test.concurrent('a row updated after the export (same count) fails the deletion loudly, nothing of it lost', async () => {
  await ready();
  const s = await scenario();
  await expect(
    archiveTenant(
      depsFor(world, s.db, s.buckets, { clock, faults: crashAfter('verify') }),
      request,
    ),
  ).rejects.toBeInstanceOf(InjectedCrash);
  // A write that slipped in between the export and the delete: the count is unchanged.
  await s.db.admin.query(
    `UPDATE app.invoices SET amount = amount + 1 WHERE tenant_id = $1 AND id = 1`,
    [A],
  );
  const failure = await archiveTenant(depsFor(world, s.db, s.buckets, { clock }), request).catch(
    (e: unknown) => e,
  );
  expect(isArchiveError(failure, 'ROW_CONTENT_MISMATCH')).toBe(true);
  expect(String(failure)).toMatch(/invoices rows changed since the export/);
  // invoices is deleted first (children before parents): nothing at all was deleted.
  expect(await liveState(s)).toEqual({
    rows: expectedCounts(N),
    primary: s.fileCounts,
    replica: s.fileCounts,
  });
});

test.concurrent('a file written during the archive fails the job loudly and is kept, in both buckets', async () => {
  await ready();
  const s = await scenario();
  await expect(
    archiveTenant(
      depsFor(world, s.db, s.buckets, { clock, faults: crashAfter('copy:done') }),
      request,
    ),
  ).rejects.toBeInstanceOf(InjectedCrash);
  for (const [client, bucket] of [
    [world.primary, s.buckets.files],
    [world.replica, s.buckets.replica],
  ] as const) {
    await client.send(
      new PutObjectCommand({ Bucket: bucket, Key: `tenants/${A}/late/pod-9.png`, Body: 'late' }),
    );
  }
  const failure = await archiveTenant(depsFor(world, s.db, s.buckets, { clock }), request).catch(
    (e: unknown) => e,
  );
  expect(isArchiveError(failure, 'FILES_CHANGED')).toBe(true);
  expect(String(failure)).toMatch(/appeared .* after the archive was planned, first .*pod-9\.png/);
  const more = { ...s.fileCounts, versions: s.fileCounts.versions + 1 };
  expect(await liveState(s)).toEqual({ rows: expectedCounts(N), primary: more, replica: more });
});

test.concurrent('a file that exists only in the secondary region refuses the archive, nothing written', async () => {
  await ready();
  const s = await scenario();
  await world.replica.send(
    new PutObjectCommand({
      Bucket: s.buckets.replica,
      Key: `tenants/${A}/failover/written-in-apse4.pdf`,
      Body: 'written during a failover',
    }),
  );
  const intact = await liveState(s);
  const failure = await archiveTenant(depsFor(world, s.db, s.buckets, { clock }), request).catch(
    (e: unknown) => e,
  );
  expect(isArchiveError(failure, 'FILES_CHANGED')).toBe(true);
  expect(String(failure)).toMatch(/exist only in the secondary region .*written-in-apse4\.pdf/);
  expect(await liveState(s)).toEqual(intact);
  expect(await inspectTenantArchives(depsFor(world, s.db, s.buckets), A)).toEqual([]);
});

test.concurrent('two deliveries of one job at once (an SQS duplicate): one archive, nothing lost, a rerun converges', async () => {
  const { reference } = await ready();
  const s = await scenario();
  const intact = await liveState(s);
  const run = () => archiveTenant(depsFor(world, s.db, s.buckets, { clock }), request);
  const outcomes = await Promise.allSettled([run(), run()]);

  // Each run completes or fails loudly with a named archive error (seen: both refuse with
  // ARCHIVE_CONFLICT, each finding the other's objects in the archive it writes); if neither
  // completed, nothing was deleted.
  for (const outcome of outcomes) {
    if (outcome.status === 'rejected') expect(isArchiveError(outcome.reason)).toBe(true);
  }
  if (!outcomes.some((o) => o.status === 'fulfilled' && o.value.status === 'complete')) {
    expect(await liveState(s)).toEqual(intact);
  }
  const final = await archiveTenant(depsFor(world, s.db, s.buckets, { clock: later }), request);
  expect(final.status).toBe('complete');
  expect(await liveState(s)).toEqual({ rows: ZERO_ROWS, primary: NO_FILES, replica: NO_FILES });
  expect(await countTenantRows(s.db.admin, B)).toEqual(expectedCounts(N));
  const stored = (await readManifest(world.primary, s.buckets.archive, A, request.archiveId))!;
  expect(content(stored.manifest)).toEqual(content(reference));
  expect(await inspectTenantArchives(depsFor(world, s.db, s.buckets), A)).toEqual([
    {
      archiveId: request.archiveId,
      complete: true,
      versions: reference.objectCount + 1,
      pendingUploads: 0,
    },
  ]);
});
