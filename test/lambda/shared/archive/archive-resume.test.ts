import { createHash, randomBytes } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type {
  ArchiveBudget,
  ArchiveCheckpoint,
  ArchiveResult,
} from '../../../../lambda/shared/archive';
import {
  archiveTenant,
  inspectTenantArchives,
  readManifest,
} from '../../../../lambda/shared/archive';
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
