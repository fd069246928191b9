import { createHash, randomBytes } from 'node:crypto';
import type { Client } from 'pg';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type {
  ArchiveBudget,
  ArchiveCheckpoint,
  ArchiveManifest,
  ArchiveResult,
  FaultHook,
} from '../../../../lambda/shared/archive';
import {
  archiveTenant,
  inspectTenantArchives,
  isArchiveError,
  readManifest,
} from '../../../../lambda/shared/archive';
import { readProgress } from '../../../../lambda/shared/archive/archive-progress';
import { MANIFEST_FORMAT_V1, parseManifest } from '../../../../lambda/shared/archive/manifest';
import { deleteTenantRows } from '../../../../lambda/shared/archive/row-deletion';
import { countTenantRows, expectedCounts, seedTenant } from './fixtures/logistics-schema';
import type { ArchiveWorld } from './fixtures/world';
import {
  countVersions,
  crashAfter,
  createBuckets,
  depsFor,
  InjectedCrash,
  seedFiles,
  startWorld,
} from './fixtures/world';

const A = 'acme-freight';
const N = 10;
const MiB = 1024 * 1024;
const ZERO_ROWS = { invoices: 0, parcels: 0, proof_of_delivery: 0, shipments: 0 };

let world: ArchiveWorld;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => world?.stop());

async function scenario() {
  const db = await world.openDatabase();
  await seedTenant(db.admin, A, N);
  const buckets = await createBuckets(world);
  await seedFiles(world, buckets, A);
  return { db, buckets };
}

/** A budget that lets `units` checks pass, then says the invocation is out of time. */
function budgetOf(units: number): ArchiveBudget {
  let checks = 0;
  return { remainingMs: () => (checks++ < units ? 600_000 : 1_000), reserveMs: 60_000 };
}

test('a tenant larger than one invocation is archived over several, each continuing the last', async () => {
  const s = await scenario();
  const deps = { ...depsFor(world, s.db, s.buckets), tuning: { filesPerCheckpoint: 1 } };
  const request = {
    tenantId: A,
    archiveId: 'closure-big',
    retainUntil: new Date(Date.now() + 86_400_000),
  };
  const outcomes: (ArchiveResult | ArchiveCheckpoint)[] = [];
  for (let run = 0; run < 20; run++) {
    const outcome = await archiveTenant(deps, request, budgetOf(2));
    outcomes.push(outcome);
    if (outcome.status === 'complete') break;
  }
  const phases = outcomes.map((o) => (o.status === 'complete' ? 'complete' : o.next));
  expect(phases.length).toBeGreaterThan(3);
  expect(phases.at(-1)).toBe('complete');
  expect(phases).toContain('build');
  expect(phases).toContain('delete-rows');
  const final = outcomes.at(-1) as ArchiveResult;
  expect(final.rowCounts).toEqual(expectedCounts(N));
  expect(await countTenantRows(s.db.admin, A)).toEqual(ZERO_ROWS);
  expect(await countVersions(world.primary, s.buckets.files, `tenants/${A}/`)).toEqual({
    versions: 0,
    deleteMarkers: 0,
  });
  const stored = (await readManifest(world.primary, s.buckets.archive, A, request.archiveId))!;
  expect(stored.manifest.files).toHaveLength(4);
  // Exactly the manifest and its objects remain: every checkpoint was discarded.
  expect(await inspectTenantArchives(deps, A)).toEqual([
    {
      archiveId: request.archiveId,
      complete: true,
      versions: stored.manifest.objectCount + 1,
      pendingUploads: 0,
    },
  ]);
});

test("a retry with a later clock after a crash mid-export keeps the first run's plan", async () => {
  const s = await scenario();
  const first = new Date('2026-03-01T00:00:00.000Z');
  const request = {
    tenantId: A,
    archiveId: 'closure-later',
    retainUntil: new Date('2030-01-01T00:00:00.000Z'),
  };
  await expect(
    archiveTenant(
      depsFor(world, s.db, s.buckets, { clock: () => first, faults: crashAfter('export:parcels') }),
      request,
    ),
  ).rejects.toBeInstanceOf(InjectedCrash);
  const later = { ...request, retainUntil: new Date('2030-01-03T00:00:00.000Z') };
  const result = await archiveTenant(
    depsFor(world, s.db, s.buckets, { clock: () => new Date('2026-03-03T00:00:00.000Z') }),
    later,
  );
  expect(result.retainUntil).toEqual(request.retainUntil);
  const stored = (await readManifest(world.primary, s.buckets.archive, A, request.archiveId))!;
  expect(stored.manifest).toMatchObject({
    createdAt: first.toISOString(),
    retainUntil: request.retainUntil.toISOString(),
  });
});

test('a file above the single-copy limit is copied in parts, byte for byte', async () => {
  const s = await scenario();
  const body = randomBytes(11 * MiB);
  await world.primary.send(
    new PutObjectCommand({
      Bucket: s.buckets.files,
      Key: `tenants/${A}/scans/large.tiff`,
      Body: body,
    }),
  );
  const deps = {
    ...depsFor(world, s.db, s.buckets),
    tuning: { maxSingleCopyBytes: 5 * MiB, partSizeBytes: 5 * MiB },
  };
  await archiveTenant(deps, {
    tenantId: A,
    archiveId: 'closure-large',
    retainUntil: new Date(Date.now() + 86_400_000),
  });
  const stored = (await readManifest(world.primary, s.buckets.archive, A, 'closure-large'))!;
  const copy = stored.manifest.files.find((f) => f.sourceKey.endsWith('large.tiff'))!;
  expect(copy.sha256).toBe(createHash('sha256').update(body).digest('hex'));
  const head = await world.primary.send(
    new HeadObjectCommand({ Bucket: s.buckets.archive, Key: copy.key, VersionId: copy.versionId }),
  );
  expect(head.ETag).toMatch(/-3"$/); // three parts: 5 + 5 + 1 MiB
  const object = await world.primary.send(
    new GetObjectCommand({ Bucket: s.buckets.archive, Key: copy.key, VersionId: copy.versionId }),
  );
  expect(Buffer.from(await object.Body!.transformToByteArray()).equals(body)).toBe(true);
});

describe('a table in chunks (tuning.chunkRows 4: parcels in 5 chunks, shipments in 3)', () => {
  const CHUNKED = { chunkRows: 4, connections: 2 };
  const requestOf = (archiveId: string) => ({
    tenantId: A,
    archiveId,
    retainUntil: new Date(Date.now() + 86_400_000),
  });
  /** Live parcels of A per chunk of 4 ids (1-4, 5-8, ...): each must be 4 or 0, never between. */
  async function parcelChunks(db: { admin: Client }): Promise<number[]> {
    const result = await db.admin.query<{ n: string }>(
      `SELECT count(p.id) AS n FROM generate_series(0, 4) c
         LEFT JOIN app.parcels p ON p.tenant_id = $1 AND (p.id - 1) / 4 = c
        GROUP BY c ORDER BY c`,
      [A],
    );
    return result.rows.map((r) => Number(r.n));
  }

  test('one table spanning several invocations converges, chunk by chunk: nothing lost, nothing kept', async () => {
    const s = await scenario();
    const deps = { ...depsFor(world, s.db, s.buckets), tuning: CHUNKED };
    const request = requestOf('closure-chunks');
    const exportedParcels: number[] = [];
    const liveParcels: number[][] = [];
    let final: ArchiveResult | undefined;
    for (let run = 0; run < 40 && !final; run++) {
      const outcome = await archiveTenant(deps, request, budgetOf(5));
      if (outcome.status === 'complete') final = outcome;
      const progress = await readProgress(world.primary, s.buckets.archive, A, request.archiveId);
      exportedParcels.push(progress?.exported.filter((t) => t.table === 'parcels').length ?? -1);
      liveParcels.push(await parcelChunks(s.db));
    }
    // The export of parcels stopped between two of its chunks, and so did its deletion.
    expect(exportedParcels.some((n) => n > 0 && n < 5)).toBe(true);
    expect(liveParcels.some((c) => c.some((n) => n === 0) && c.some((n) => n === 4))).toBe(true);
    for (const chunks of liveParcels) for (const n of chunks) expect([0, 4]).toContain(n);
    expect(final?.rowCounts).toEqual(expectedCounts(N));
    expect(await countTenantRows(s.db.admin, A)).toEqual(ZERO_ROWS);

    const stored = (await readManifest(world.primary, s.buckets.archive, A, request.archiveId))!;
    const parcels = stored.manifest.tables.filter((t) => t.table === 'parcels');
    expect(parcels.map((t) => [t.chunk?.index, t.chunk?.count, t.rows])).toEqual(
      [1, 2, 3, 4, 5].map((i) => [i, 5, 4]),
    );
    expect(parcels[0]!.key).toMatch(/\/db\/parcels\/00001\.jsonl\.gz$/);
    expect(stored.manifest.tables.filter((t) => t.table === 'shipments')).toHaveLength(3);
    expect(stored.manifest.tables.filter((t) => t.table === 'invoices')).toHaveLength(3);

    // The chunks' digests add up to the digest of the same table archived in one piece.
    const whole = await scenario();
    await archiveTenant(depsFor(world, whole.db, whole.buckets), request);
    const reference = (await readManifest(
      world.primary,
      whole.buckets.archive,
      A,
      request.archiveId,
    ))!;
    for (const ref of reference.manifest.tables) {
      expect(ref.chunk).toBeUndefined();
      const sum = stored.manifest.tables
        .filter((t) => t.table === ref.table)
        .reduce((acc, t) => acc + BigInt(t.rowsDigest!), 0n);
      expect(sum.toString()).toBe(ref.rowsDigest);
    }
    expect(await inspectTenantArchives(deps, A)).toEqual([
      {
        archiveId: request.archiveId,
        complete: true,
        versions: stored.manifest.objectCount + 1,
        pendingUploads: 0,
      },
    ]);
  });

  test.each(['export:parcels#2', 'delete-rows:parcels#2'])(
    'a crash after %s (between two chunks of one table) resumes and converges',
    async (step) => {
      const s = await scenario();
      const request = requestOf(`closure-${step.split(':')[0]}`);
      // One connection, so that the state at the crash is exact (two would race for chunk 3).
      const deps = (faults?: FaultHook) => ({
        ...depsFor(world, s.db, s.buckets, faults ? { faults } : {}),
        tuning: { ...CHUNKED, connections: 1 },
      });
      await expect(archiveTenant(deps(crashAfter(step)), request)).rejects.toBeInstanceOf(
        InjectedCrash,
      );
      const atCrash = await parcelChunks(s.db);
      if (step.startsWith('export')) {
        expect(atCrash).toEqual([4, 4, 4, 4, 4]);
        const progress = await readProgress(world.primary, s.buckets.archive, A, request.archiveId);
        const parcels = progress!.exported.filter((t) => t.table === 'parcels');
        expect(parcels.map((t) => t.chunk?.index)).toEqual([1, 2]);
      } else {
        // Whole chunks only: the first two deleted (each committed alone), the rest intact.
        expect(atCrash).toEqual([0, 0, 4, 4, 4]);
      }
      const result = await archiveTenant(
        { ...depsFor(world, s.db, s.buckets), tuning: CHUNKED },
        request,
      );
      expect(result.rowCounts).toEqual(expectedCounts(N));
      expect(await countTenantRows(s.db.admin, A)).toEqual(ZERO_ROWS);
      const stored = (await readManifest(world.primary, s.buckets.archive, A, request.archiveId))!;
      expect(stored.manifest.tables.filter((t) => t.table === 'parcels')).toHaveLength(5);
      expect((await inspectTenantArchives(deps(), A))[0]).toMatchObject({
        complete: true,
        versions: stored.manifest.objectCount + 1,
        pendingUploads: 0,
      });
    },
  );

  test('a row changed in one chunk fails that chunk loudly, rolled back, nothing of it deleted', async () => {
    const s = await scenario();
    const request = requestOf('closure-changed');
    const deps = (faults?: FaultHook) => ({
      ...depsFor(world, s.db, s.buckets, faults ? { faults } : {}),
      tuning: CHUNKED,
    });
    await expect(archiveTenant(deps(crashAfter('verify')), request)).rejects.toBeInstanceOf(
      InjectedCrash,
    );
    await s.db.admin.query(
      `UPDATE app.parcels SET weight_kg = weight_kg + 1 WHERE tenant_id = $1 AND id = 10`,
      [A],
    );
    const failure = await archiveTenant(deps(), request).catch((e: unknown) => e);
    expect(isArchiveError(failure, 'ROW_CONTENT_MISMATCH')).toBe(true);
    expect(String(failure)).toMatch(/parcels chunk 3\/5 rows changed since the export/);
    expect((await parcelChunks(s.db))[2]).toBe(4);
    // The changed row is kept as it is now; its parents too.
    const kept = await s.db.admin.query(
      `SELECT weight_kg FROM app.parcels WHERE tenant_id = $1 AND id = 10`,
      [A],
    );
    expect(kept.rows).toHaveLength(1);
    expect((await countTenantRows(s.db.admin, A)).shipments).toBe(N);
  });

  test('a manifest written before chunks (v1, one entry per table) is still deleted, table by table', async () => {
    const s = await scenario();
    const request = requestOf('closure-v1');
    await expect(
      archiveTenant(depsFor(world, s.db, s.buckets, { faults: crashAfter('verify') }), request),
    ).rejects.toBeInstanceOf(InjectedCrash);
    const { manifest } = (await readManifest(
      world.primary,
      s.buckets.archive,
      A,
      request.archiveId,
    ))!;
    const v1 = { ...manifest, format: MANIFEST_FORMAT_V1 } as ArchiveManifest;
    const text = JSON.stringify(v1);
    expect(parseManifest(text, A, request.archiveId).format).toBe(MANIFEST_FORMAT_V1);
    // A v1 manifest never holds chunks; chunks that leave a gap are refused.
    const chunked = {
      ...v1,
      tables: v1.tables.map((t) =>
        t.table === 'invoices' ? { ...t, chunk: { index: 1, count: 1 } } : t,
      ),
    };
    expect(() => parseManifest(JSON.stringify(chunked), A, request.archiveId)).toThrow(
      /bad chunks of invoices/,
    );
    const deleted = await deleteTenantRows(
      { ...depsFor(world, s.db, s.buckets), tuning: CHUNKED },
      v1,
    );
    expect(deleted).toEqual({ deleted: expectedCounts(N), complete: true });
    expect(await countTenantRows(s.db.admin, A)).toEqual(ZERO_ROWS);
  });
});
