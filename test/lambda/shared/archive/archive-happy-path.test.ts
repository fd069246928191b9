import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gunzipSync } from 'node:zlib';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
} from '@aws-sdk/client-s3';
import type { ArchiveResult } from '../../../../lambda/shared/archive';
import {
  archiveTenant,
  inspectTenantArchives,
  readManifest,
} from '../../../../lambda/shared/archive';
import type { ArchiveManifest } from '../../../../lambda/shared/archive';
import { listPendingUploads } from '../../../../lambda/shared/archive/archive-inspect';
import { S3UploadSink } from '../../../../lambda/shared/archive/multipart-sink';
import { listAllVersions } from '../../../../lambda/shared/archive/object-versions';
import {
  countTenantRows,
  expectedCounts,
  seedTenant,
  TENANT_TABLES,
  WORKER_ROLE,
} from './fixtures/logistics-schema';
import type { ArchiveWorld, Buckets, LogisticsDb } from './fixtures/world';
import {
  countVersions,
  createBuckets,
  depsFor,
  FILE_BODIES,
  seedFiles,
  startWorld,
} from './fixtures/world';

const A = 'acme-freight';
const B = 'globex-logistics';
const N = 25;
const ARCHIVE_ID = 'closure-2026-01';

let world: ArchiveWorld;
let buckets: Buckets;
let db: LogisticsDb;
let result: ArchiveResult;
let manifest: ArchiveManifest;
const retainUntil = new Date(Date.now() + 24 * 3600 * 1000);
const originalRows: Record<string, unknown[]> = {};
let filesOfB: { versions: number; deleteMarkers: number };

async function bodyOf(key: string, versionId: string): Promise<Buffer> {
  const object = await world.primary.send(
    new GetObjectCommand({ Bucket: buckets.archive, Key: key, VersionId: versionId }),
  );
  return Buffer.from(await object.Body!.transformToByteArray());
}

beforeAll(async () => {
  world = await startWorld();
  db = await world.openDatabase();
  buckets = await createBuckets(world);
  await seedTenant(db.admin, A, N);
  await seedTenant(db.admin, B, N + 3);
  await seedFiles(world, buckets, A);
  filesOfB = await seedFiles(world, buckets, B);
  for (const table of TENANT_TABLES) {
    const rows = await db.admin.query<{ j: unknown }>(
      `SELECT to_jsonb(t) AS j FROM app.${table} t WHERE tenant_id = $1 ORDER BY id`,
      [A],
    );
    originalRows[table] = rows.rows.map((r) => r.j);
  }
  result = await archiveTenant(depsFor(world, db, buckets), {
    tenantId: A,
    archiveId: ARCHIVE_ID,
    retainUntil,
  });
  manifest = (await readManifest(world.primary, buckets.archive, A, ARCHIVE_ID))!.manifest;
});

afterAll(async () => world?.stop());

test('the worker role is not privileged and row-level security scopes what it sees and deletes', async () => {
  const role = await db.admin.query(
    'SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1',
    [WORKER_ROLE],
  );
  expect(role.rows[0]).toEqual({ rolsuper: false, rolbypassrls: false });
  await seedTenant(db.admin, 'initech', 2);
  const worker = await db.workerPool.connect();
  try {
    await worker.query('BEGIN');
    const unscoped = await worker.query('SELECT count(*)::int AS n FROM app.shipments');
    expect(unscoped.rows[0].n).toBe(0); // no tenant set: RLS hides every row
    await worker.query(`SELECT set_config('app.tenant_id', $1, true)`, [B]);
    const seen = await worker.query('SELECT DISTINCT tenant_id FROM app.shipments');
    expect(seen.rows).toEqual([{ tenant_id: B }]);
    await worker.query('DELETE FROM app.invoices'); // no WHERE: RLS still limits it to B
    await worker.query('ROLLBACK');
    await expect(worker.query('SELECT count(*) FROM app.carriers')).rejects.toThrow(
      /permission denied/,
    );
  } finally {
    worker.release();
  }
  expect((await countTenantRows(db.admin, 'initech')).invoices).toBe(2);
});

test('returns the manifest row counts and object count', () => {
  expect(result).toEqual({
    status: 'complete',
    archiveId: ARCHIVE_ID,
    manifestKey: `archive/${A}/${ARCHIVE_ID}/manifest.json`,
    rowCounts: expectedCounts(N),
    objectCount: TENANT_TABLES.length + Object.keys(FILE_BODIES).length,
    retainUntil,
  });
  expect(Object.keys(manifest.rowCounts)).not.toContain('carriers');
});

test("deletes the tenant's rows and leaves the other tenant's rows untouched", async () => {
  expect(await countTenantRows(db.admin, A)).toEqual({
    invoices: 0,
    parcels: 0,
    proof_of_delivery: 0,
    shipments: 0,
  });
  expect(await countTenantRows(db.admin, B)).toEqual(expectedCounts(N + 3));
  const carriers = await db.admin.query('SELECT count(*)::int AS n FROM app.carriers');
  expect(carriers.rows[0].n).toBe(3);
});

test("deletes every version and delete marker of the tenant's files in both file buckets", async () => {
  for (const [client, bucket] of [
    [world.primary, buckets.files],
    [world.replica, buckets.replica],
  ] as const) {
    expect(await countVersions(client, bucket, `tenants/${A}/`)).toEqual({
      versions: 0,
      deleteMarkers: 0,
    });
    expect(await countVersions(client, bucket, `tenants/${B}/`)).toEqual(filesOfB);
  }
});

test('writes exactly one archive whose objects are all locked in COMPLIANCE mode', async () => {
  const versions = await listAllVersions(world.primary, buckets.archive, `archive/${A}/`);
  expect(versions).toHaveLength(manifest.objectCount + 1);
  expect(versions.every((v) => !v.deleteMarker && v.isLatest)).toBe(true);
  for (const v of versions) {
    // moto 5.2 answers GetObjectRetention with the object body; HeadObject reports the same lock.
    const head = await world.primary.send(
      new HeadObjectCommand({ Bucket: buckets.archive, Key: v.key, VersionId: v.versionId }),
    );
    expect(head.ObjectLockMode).toBe('COMPLIANCE');
    expect(head.ObjectLockRetainUntilDate?.toISOString()).toBe(retainUntil.toISOString());
  }
  expect(await inspectTenantArchives(depsFor(world, db, buckets), A)).toEqual([
    {
      archiveId: ARCHIVE_ID,
      complete: true,
      versions: manifest.objectCount + 1,
      pendingUploads: 0,
    },
  ]);
});

test('the manifest lists every object with its true size and SHA-256', async () => {
  expect(manifest.tables.map((t) => t.key)).toEqual(
    TENANT_TABLES.map((t) => `archive/${A}/${ARCHIVE_ID}/db/${t}.jsonl.gz`),
  );
  expect(manifest.files.map((f) => f.key).sort()).toEqual(
    Object.keys(FILE_BODIES)
      .map((k) => `archive/${A}/${ARCHIVE_ID}/files/${k}`)
      .sort(),
  );
  for (const entry of [...manifest.tables, ...manifest.files]) {
    const body = await bodyOf(entry.key, entry.versionId);
    expect(body.length).toBe(entry.bytes);
    expect(createHash('sha256').update(body).digest('hex')).toBe(entry.sha256);
  }
  for (const file of manifest.files) {
    // S3's SHA-256 additional checksum of the copy, taken during the copy, is the same digest.
    expect(file.checksumSha256).toBe(Buffer.from(file.sha256, 'hex').toString('base64'));
    const relative = file.sourceKey.slice(`tenants/${A}/`.length);
    expect((await bodyOf(file.key, file.versionId)).toString()).toBe(FILE_BODIES[relative]);
  }
});

test('each table export is gzip JSON Lines that decodes to the original rows', async () => {
  for (const entry of manifest.tables) {
    const text = gunzipSync(await bodyOf(entry.key, entry.versionId)).toString('utf8');
    const lines = text.split('\n');
    expect(lines.pop()).toBe(''); // every row ends with a newline
    expect(lines).toHaveLength(entry.rows);
    expect(lines.map((l) => JSON.parse(l))).toEqual(originalRows[entry.table]);
  }
  const pod = gunzipSync(await bodyOf(manifest.tables[2]!.key, manifest.tables[2]!.versionId));
  const first = JSON.parse(pod.toString('utf8').split('\n')[0]!);
  expect(first).toMatchObject({ notes: 'left at door\nunit 1', signed_by: 'Zoë Receiver 1' });
  expect(first.signature).toMatch(/^\\x[0-9a-f]{32}$/);
});

test('deleting a locked archive object is refused, with or without governance bypass', async () => {
  const entry = manifest.tables[0]!;
  const target = { Bucket: buckets.archive, Key: entry.key, VersionId: entry.versionId };
  await expect(world.primary.send(new DeleteObjectCommand(target))).rejects.toMatchObject({
    name: 'AccessDenied',
  });
  await expect(
    world.primary.send(new DeleteObjectCommand({ ...target, BypassGovernanceRetention: true })),
  ).rejects.toMatchObject({ name: 'AccessDenied' });
  const batch = await world.primary.send(
    new DeleteObjectsCommand({
      Bucket: buckets.archive,
      Delete: { Objects: [{ Key: entry.key, VersionId: entry.versionId }] },
    }),
  );
  expect(batch.Errors?.[0]?.Code).toBe('AccessDenied');
  expect((await bodyOf(entry.key, entry.versionId)).length).toBe(entry.bytes);
});

test('a rerun after success changes nothing and returns the same result', async () => {
  const before = await listAllVersions(world.primary, buckets.archive, `archive/${A}/`);
  const again = await archiveTenant(depsFor(world, db, buckets), {
    tenantId: A,
    archiveId: ARCHIVE_ID,
    retainUntil,
  });
  expect(again).toEqual(result);
  expect(await listAllVersions(world.primary, buckets.archive, `archive/${A}/`)).toEqual(before);
  expect(await countTenantRows(db.admin, B)).toEqual(expectedCounts(N + 3));
});

describe('the streaming upload behind every table export', () => {
  const MiB = 1024 * 1024;

  test('sends parts of bounded size and stores exactly the bytes written', async () => {
    const key = 'archive/stream-test/x/db/big.jsonl.gz';
    const sink = new S3UploadSink(world.primary, buckets.archive, key, 5 * MiB, 'application/gzip');
    const data = randomBytes(11 * MiB + 12345);
    const chunks = Array.from({ length: Math.ceil(data.length / (64 * 1024)) }, (_, i) =>
      data.subarray(i * 64 * 1024, (i + 1) * 64 * 1024),
    );
    await pipeline(Readable.from(chunks), sink);
    const written = sink.result();
    expect(written.bytes).toBe(data.length);
    expect(written.sha256).toBe(createHash('sha256').update(data).digest('hex'));
    const head = await world.primary.send(
      new HeadObjectCommand({ Bucket: buckets.archive, Key: key, VersionId: written.versionId }),
    );
    expect(head.ETag).toMatch(/-3"$/); // three parts: 5 MiB, 5 MiB, the rest
    expect((await bodyOf(key, written.versionId)).equals(data)).toBe(true);
  });

  test('aborts its multipart upload when the stream fails', async () => {
    const key = 'archive/stream-test/y/db/failed.jsonl.gz';
    const sink = new S3UploadSink(world.primary, buckets.archive, key, 5 * MiB, 'application/gzip');
    async function* failing() {
      yield randomBytes(6 * MiB);
      throw new Error('database connection lost');
    }
    await expect(pipeline(Readable.from(failing()), sink)).rejects.toThrow(/connection lost/);
    if (!sink.closed) await new Promise((resolve) => sink.once('close', resolve));
    expect(
      await listPendingUploads(world.primary, buckets.archive, 'archive/stream-test/'),
    ).toEqual([]);
    expect(await listAllVersions(world.primary, buckets.archive, 'archive/stream-test/y/')).toEqual(
      [],
    );
  });
});
