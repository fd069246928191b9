import type { ArchiveRequest, ArchiveResult, PurgeDeps } from '../../../../lambda/shared/archive';
import {
  archiveTenant,
  isArchiveError,
  purgeTenant,
  readManifest,
} from '../../../../lambda/shared/archive';
import { listAllVersions } from '../../../../lambda/shared/archive/object-versions';
import { countTenantRows, seedTenant, WORKER_ROLE } from './fixtures/logistics-schema';
import type { ArchiveWorld, Buckets, LogisticsDb } from './fixtures/world';
import {
  countVersions,
  crashAfter,
  createBuckets,
  depsFor,
  InjectedCrash,
  recordingLogger,
  recordingS3,
  seedFiles,
  startWorld,
} from './fixtures/world';

/**
 * Purge, and the refusals of bad input, on one PostgreSQL and moto: the archives to purge are
 * made first with a retention of a few seconds, which the bad-input tests then outlast.
 */
const SHORT = [
  'northwind',
  'crash-objects',
  'crash-manifest',
  'crash-verify',
  'long-purge',
] as const;
const LONG = 'still-locked';
const ARCHIVE_ID = 'closure-1';
const A = 'acme-freight';
const B = 'globex-logistics';
const retainUntil = new Date(Date.now() + 24 * 3600 * 1000);

let world: ArchiveWorld;
let db: LogisticsDb;
let buckets: Buckets;
let shortRetention: Date;
const archived = new Map<string, ArchiveResult>();

function purgeDeps(options: { clock?: () => Date; faults?: (step: string) => void } = {}) {
  const deps: PurgeDeps = {
    s3: world.primary,
    archiveBucket: buckets.archive,
    logger: recordingLogger(),
    clock: options.clock ?? (() => new Date()),
    ...(options.faults ? { faults: options.faults } : {}),
  };
  return deps;
}

const versionsOf = (tenantId: string) =>
  listAllVersions(world.primary, buckets.archive, `archive/${tenantId}/${ARCHIVE_ID}/`);

/** Everything an archive could change. */
async function snapshot() {
  return {
    rowsA: await countTenantRows(db.admin, A),
    rowsB: await countTenantRows(db.admin, B),
    filesA: await countVersions(world.primary, buckets.files, `tenants/${A}/`),
    replicaA: await countVersions(world.replica, buckets.replica, `tenants/${A}/`),
    archive: (await listAllVersions(world.primary, buckets.archive, 'archive/')).map(
      (v) => `${v.key}@${v.versionId}`,
    ),
  };
}

async function failureOf(run: Promise<unknown>): Promise<unknown> {
  return run.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );
}

beforeAll(async () => {
  world = await startWorld();
  db = await world.openDatabase();
  buckets = await createBuckets(world);
  for (const tenantId of [...SHORT, LONG, A, B]) {
    await seedTenant(db.admin, tenantId, 3);
    await seedFiles(world, buckets, tenantId);
  }
  shortRetention = new Date(Date.now() + 6_000);
  await Promise.all(
    [...SHORT, LONG].map(async (tenantId) => {
      const result = await archiveTenant(depsFor(world, db, buckets), {
        tenantId,
        archiveId: ARCHIVE_ID,
        retainUntil: tenantId === LONG ? retainUntil : shortRetention,
      });
      archived.set(tenantId, result);
    }),
  );
});

afterAll(async () => world?.stop());

test('a purge before the retention ends fails clearly and deletes nothing', async () => {
  const before = await versionsOf(LONG);
  const failure = await purgeTenant(purgeDeps(), {
    tenantId: LONG,
    archiveId: ARCHIVE_ID,
  }).catch((e: unknown) => e);
  expect(isArchiveError(failure, 'PURGE_TOO_EARLY')).toBe(true);
  expect(String(failure)).toMatch(/locked until .*nothing was deleted/);
  expect(await versionsOf(LONG)).toEqual(before);
});

test('a delete that the lock refuses is an error, never ignored', async () => {
  // A clock far ahead gets past the engine's own check; S3 still enforces the lock.
  const before = await versionsOf(LONG);
  const failure = await purgeTenant(
    purgeDeps({ clock: () => new Date(Date.now() + 400 * 24 * 3600 * 1000) }),
    { tenantId: LONG, archiveId: ARCHIVE_ID },
  ).catch((e: unknown) => e);
  expect(isArchiveError(failure, 'DELETE_REFUSED')).toBe(true);
  expect(String(failure)).toMatch(/AccessDenied/);
  expect(await versionsOf(LONG)).toEqual(before);
});

const valid: ArchiveRequest = { tenantId: A, archiveId: 'closure-1', retainUntil };
describe('bad input', () => {
  let before: Awaited<ReturnType<typeof snapshot>>;
  beforeAll(async () => {
    before = await snapshot();
  });

  test.each([
    ['an empty tenantId', { ...valid, tenantId: '' }, /tenantId "" is invalid/],
    ['a tenantId with a slash', { ...valid, tenantId: 'acme/../globex' }, /tenantId/],
    ['a missing tenantId', { ...valid, tenantId: undefined }, /tenantId undefined/],
    ['an empty archiveId', { ...valid, archiveId: '' }, /archiveId "" is invalid/],
    ['an archiveId with a slash', { ...valid, archiveId: 'a/b' }, /archiveId/],
    ['an invalid date', { ...valid, retainUntil: new Date('soon') }, /valid Date/],
    ['a date as a string', { ...valid, retainUntil: '2030-01-01' }, /valid Date/],
    ['a past date', { ...valid, retainUntil: new Date(Date.now() - 1000) }, /in the future/],
  ])('%s is refused and changes nothing', async (_label, request, message) => {
    const failure = await failureOf(
      archiveTenant(depsFor(world, db, buckets), request as unknown as ArchiveRequest),
    );
    expect(isArchiveError(failure, 'INVALID_REQUEST')).toBe(true);
    expect(String(failure)).toMatch(message);
    expect(await snapshot()).toEqual(before);
  });

  test('a tenant with no rows and no files archives to an empty manifest, once; nothing else changes', async () => {
    const before = await snapshot();
    const empty = { ...valid, tenantId: 'nobody-here' };
    const result = await archiveTenant(depsFor(world, db, buckets), empty);
    expect(result).toMatchObject({
      status: 'complete',
      rowCounts: { invoices: 0, parcels: 0, proof_of_delivery: 0, shipments: 0 },
    });
    const stored = await readManifest(
      world.primary,
      buckets.archive,
      empty.tenantId,
      empty.archiveId,
    );
    expect(stored?.manifest.files).toEqual([]);
    expect(stored?.manifest.liveVersions).toEqual({ primary: [], replica: [] });
    // A retry converges on the same archive (the job is never re-claimed forever).
    await expect(archiveTenant(depsFor(world, db, buckets), empty)).resolves.toEqual(result);
    const after = await snapshot();
    expect({ ...after, archive: [] }).toEqual({ ...before, archive: [] });
    expect(after.archive.filter((k) => !before.archive.includes(k))).toHaveLength(
      result.objectCount + 1,
    );
    expect(
      after.archive.every(
        (k) => before.archive.includes(k) || k.startsWith(`archive/${empty.tenantId}/`),
      ),
    ).toBe(true);
  });

  test('a second archive of a tenant under another archiveId is refused, partial or complete', async () => {
    await expect(
      archiveTenant(depsFor(world, db, buckets, { faults: crashAfter('export:parcels') }), valid),
    ).rejects.toBeInstanceOf(InjectedCrash);
    let before = await snapshot();
    const other = { ...valid, archiveId: 'closure-2' };
    let failure = await failureOf(archiveTenant(depsFor(world, db, buckets), other));
    expect(isArchiveError(failure, 'ARCHIVE_CONFLICT')).toBe(true);
    expect(String(failure)).toMatch(/already has archive closure-1 \(partial\)/);
    expect(await snapshot()).toEqual(before);

    await archiveTenant(depsFor(world, db, buckets), valid);
    before = await snapshot();
    failure = await failureOf(archiveTenant(depsFor(world, db, buckets), other));
    expect(String(failure)).toMatch(/already has archive closure-1 \(complete\)/);
    expect(await snapshot()).toEqual(before);
    // A retry whose clock moved on converges on the manifest's lock end: it never gets stuck.
    const moved = { ...valid, retainUntil: new Date(retainUntil.getTime() + 86_400_000) };
    const retried = await archiveTenant(depsFor(world, db, buckets), moved);
    expect(retried.retainUntil).toEqual(retainUntil);
  });

  test('a tenant table created after the export, holding rows, stops the deletion', async () => {
    const request = { tenantId: B, archiveId: 'closure-b', retainUntil };
    await expect(
      archiveTenant(depsFor(world, db, buckets, { faults: crashAfter('verify') }), request),
    ).rejects.toBeInstanceOf(InjectedCrash);
    await db.admin.query(`
    CREATE TABLE app.customs_declarations (tenant_id text NOT NULL, id int, PRIMARY KEY (tenant_id, id));
    ALTER TABLE app.customs_declarations ENABLE ROW LEVEL SECURITY;
    ALTER TABLE app.customs_declarations FORCE ROW LEVEL SECURITY;
    CREATE POLICY tenant_isolation ON app.customs_declarations
      USING (tenant_id = current_setting('app.tenant_id', true));
    GRANT SELECT, DELETE ON app.customs_declarations TO ${WORKER_ROLE};
    INSERT INTO app.customs_declarations VALUES ('${B}', 1);`);
    try {
      const rowsBefore = await countTenantRows(db.admin, B);
      const failure = await failureOf(archiveTenant(depsFor(world, db, buckets), request));
      expect(isArchiveError(failure, 'ROW_COUNT_MISMATCH')).toBe(true);
      expect(String(failure)).toMatch(/customs_declarations has 1 rows but is not in the archive/);
      expect(await countTenantRows(db.admin, B)).toEqual(rowsBefore);
    } finally {
      await db.admin.query('DROP TABLE app.customs_declarations');
    }
  });

  test('purge refuses malformed ids and saved progress, and treats an absent archive as already purged', async () => {
    const deps = {
      s3: world.primary,
      archiveBucket: buckets.archive,
      logger: recordingLogger(),
      clock: () => new Date(),
    };
    for (const request of [
      { tenantId: '', archiveId: 'closure-1' },
      { tenantId: A, archiveId: '../closure-1' },
    ]) {
      const failure = await failureOf(purgeTenant(deps, request));
      expect(isArchiveError(failure, 'INVALID_REQUEST')).toBe(true);
    }
    // A saved lock check is the caller's to keep intact: a malformed one names its field.
    const listing = 'A'.repeat(43) + '=';
    for (const [lockCheck, field] of [
      [{ listing: 'x', versions: 3, checked: 1, deleted: 0 }, /lockCheck.listing/],
      [{ listing, versions: 3, checked: 4, deleted: 0 }, /lockCheck.checked must not exceed/],
      [{ listing, versions: 3, checked: 1 }, /lockCheck.deleted/],
    ] as const) {
      const request = { tenantId: A, archiveId: 'closure-1', lockCheck } as never;
      const failure = await failureOf(purgeTenant(deps, request));
      expect(isArchiveError(failure, 'INVALID_REQUEST')).toBe(true);
      expect(String(failure)).toMatch(field);
    }
    expect(await purgeTenant(deps, { tenantId: A, archiveId: 'never-made' })).toEqual({
      deletedVersions: 0,
    });
    expect(deps.logger.entries.map((e) => e.message)).toContain(
      'nothing to purge: archive absent or already purged',
    );
  });
});

describe('once the retention has passed', () => {
  beforeAll(async () => {
    const wait = shortRetention.getTime() + 1500 - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  });

  test('purge deletes every version, checks nothing is left, and a rerun is a no-op', async () => {
    const expected = archived.get('northwind')!.objectCount + 1;
    expect(await versionsOf('northwind')).toHaveLength(expected);
    const result = await purgeTenant(purgeDeps(), { tenantId: 'northwind', archiveId: ARCHIVE_ID });
    expect(result).toEqual({ deletedVersions: expected });
    expect(await versionsOf('northwind')).toEqual([]);
    expect(
      await purgeTenant(purgeDeps(), { tenantId: 'northwind', archiveId: ARCHIVE_ID }),
    ).toEqual({ deletedVersions: 0 });
    // The other archives are untouched.
    expect(await versionsOf(LONG)).toHaveLength(archived.get(LONG)!.objectCount + 1);
  });

  test('a purge longer than one invocation checkpoints between batches and the next run finishes it', async () => {
    const total = archived.get('long-purge')!.objectCount + 1;
    // Out of time once an invocation has sent two batches of 2 deletions (the lock check, which
    // looks at the budget before each HeadObject, fits in every invocation).
    const s3 = recordingS3(world);
    const budget = () => {
      const start = s3.calls.length;
      const batches = () =>
        s3.calls.slice(start).filter((c) => c.command === 'DeleteObjectsCommand').length;
      return { remainingMs: () => (batches() < 2 ? 600_000 : 1_000), reserveMs: 60_000 };
    };
    const deps = { ...purgeDeps(), s3: s3.client, tuning: { filesPerCheckpoint: 2 } };
    const request = { tenantId: 'long-purge', archiveId: ARCHIVE_ID };
    const outcomes: unknown[] = [];
    for (let run = 0; run < 10; run++) {
      const outcome = await purgeTenant(deps, request, budget());
      outcomes.push(outcome);
      if (!('status' in outcome)) break;
      // Each checkpoint made progress and kept the manifest, deleted last.
      expect(outcome.deletedVersions).toBe(4);
      expect((await versionsOf('long-purge')).some((v) => v.key.endsWith('/manifest.json'))).toBe(
        true,
      );
    }
    expect(outcomes.length).toBeGreaterThan(1);
    expect(outcomes.at(-1)).toEqual({ deletedVersions: total - 4 * (outcomes.length - 1) });
    expect(await versionsOf('long-purge')).toEqual([]);
    s3.client.destroy();
  });

  test.each([
    ['purge:objects', 'crash-objects', 1],
    ['purge:manifest', 'crash-manifest', 0],
    ['purge:verify', 'crash-verify', 0],
  ] as const)(
    'a crash after %s, then a rerun, finishes the purge',
    async (step, tenantId, left) => {
      const total = archived.get(tenantId)!.objectCount + 1;
      await expect(
        purgeTenant(purgeDeps({ faults: crashAfter(step) }), { tenantId, archiveId: ARCHIVE_ID }),
      ).rejects.toBeInstanceOf(InjectedCrash);
      const remaining = await versionsOf(tenantId);
      expect(remaining).toHaveLength(left);
      expect(remaining.every((v) => v.key.endsWith('/manifest.json'))).toBe(true);
      const rerun = await purgeTenant(purgeDeps(), { tenantId, archiveId: ARCHIVE_ID });
      expect(rerun).toEqual({ deletedVersions: left });
      expect(await versionsOf(tenantId)).toEqual([]);
      expect(total).toBeGreaterThan(left);
    },
  );
});
