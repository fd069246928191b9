import { randomUUID } from 'node:crypto';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { ArchiveBudget } from '../../../lambda/shared/archive/contracts';
import { listAllVersions } from '../../../lambda/shared/archive/object-versions';
import type { PurgeRequest } from '../../../lambda/shared/archive/purge-tenant';
import { purgeTenant } from '../../../lambda/shared/archive/purge-tenant';
import { processPurgeJob } from '../../../lambda/tenant-purge/purge-job';
import { leaseHarness, useMotoRegistry } from '../../support/lifecycle/lease-harness';
import { auditTrail, registerTenant } from '../../support/lifecycle/registry-tables';
import { recordingLogger, recordingS3 } from '../shared/archive/fixtures/world';

/**
 * The purge job with the real engine over moto (registry and archive bucket): a lock check longer
 * than one delivery continues in the next one from the progress the checkpoint saved in the
 * registry item, written with the lease renewal, by the lease holder only.
 */
const policy = { graceDays: 90, archiveRetentionDays: 365, leaseMinutes: 60, maxClaims: 5 };
const T0 = Date.parse('2027-04-03T02:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
/** HeadObject requests one delivery may send before its budget runs out. */
const K = 3;
const OBJECTS = 10;

const world = useMotoRegistry();
let s3: ReturnType<typeof recordingS3>;
const bucket = `archive-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  s3 = recordingS3(world);
  await s3.client.send(
    new CreateBucketCommand({
      Bucket: bucket,
      ObjectLockEnabledForBucket: true,
      CreateBucketConfiguration: { LocationConstraint: 'ap-southeast-2' },
    }),
  );
});
afterAll(() => s3?.client.destroy());

let n = 0;
/** A tenant due for its purge, with an archive of OBJECTS data objects and a manifest, unlocked. */
async function purgeDueTenant(extra: Record<string, unknown> = {}) {
  n += 1;
  const id = `lock-progress-${n}`;
  const archiveId = `closure-${id}`;
  await registerTenant(world.doc, world.tables.registry, id, {
    lifecycleState: 'ARCHIVED',
    version: 4,
    deactivatedAt: '2026-01-01T00:00:00.000Z',
    archiveId,
    archivedAt: '2026-04-02T00:00:00.000Z',
    purgeAt: '2027-04-02T00:00:00.000Z',
    dueAt: '2027-04-02T00:00:00.000Z',
    ...extra,
  });
  const prefix = `archive/${id}/${archiveId}/`;
  for (const name of [
    ...Array.from({ length: OBJECTS }, (_, i) => `files/f-${i}.pdf`),
    'manifest.json',
  ]) {
    await s3.client.send(
      new PutObjectCommand({ Bucket: bucket, Key: `${prefix}${name}`, Body: name }),
    );
  }
  const versions = (await listAllVersions(s3.client, bucket, prefix)).map(
    (v) => `${v.key}@${v.versionId}`,
  );
  return { id, prefix, versions };
}

/** Out of time once this delivery has sent K HeadObject requests. */
function budget(): ArchiveBudget {
  const start = s3.calls.length;
  return {
    remainingMs: () =>
      s3.calls.slice(start).filter((c) => c.command === 'HeadObjectCommand').length < K
        ? 600_000
        : 1_000,
  };
}

function harness() {
  const h = leaseHarness<PurgeRequest>(world.registry, policy, at(0));
  const engine = {
    s3: s3.client,
    archiveBucket: bucket,
    logger: recordingLogger(),
    clock: () => new Date(),
  };
  const deliver = async (body: string) => {
    const start = s3.calls.length;
    await h.deliver(body, 'purge', (job) =>
      processPurgeJob(
        {
          registry: world.registry,
          policy,
          logger: h.logger,
          clock: h.clock,
          purge: async (req, b) => {
            await h.engineRun(req, b);
            return purgeTenant(engine, req, b);
          },
          deleteUsers: async () => ({ deleted: 0, groupDeleted: true }),
        },
        job,
        budget(),
      ),
    );
    return s3.calls
      .slice(start)
      .filter((c) => c.command === 'HeadObjectCommand')
      .map((c) => `${c.key}@${c.versionId}`);
  };
  return { ...h, deliver };
}

test('each delivery of a purge checks new versions: the checkpoint saves the lock check in the registry and the next delivery continues from it', async () => {
  const tenant = await purgeDueTenant();
  const h = harness();
  await h.sweep();
  const [body] = h.sent();
  const heads: string[][] = [];
  for (let delivery = 1; delivery <= 8; delivery++) {
    h.setNow(at(delivery * 10));
    heads.push(await h.deliver(body));
    if ((await world.registry.get(tenant.id))?.lifecycleState === 'PURGED') break;
    const saved = JSON.parse((await world.registry.get(tenant.id))?.purgeLockCheck ?? '{}');
    expect(saved).toMatchObject({ versions: OBJECTS + 1, checked: K * delivery, deleted: 0 });
  }
  expect(heads.map((h) => h.length)).toEqual([K, K, K, OBJECTS + 1 - 3 * K]);
  expect(heads.flat().sort()).toEqual([...tenant.versions].sort());
  // The first delivery of each run of the engine had the previous checkpoint's progress.
  expect(h.engineRuns.map((r) => r.lockCheck?.checked)).toEqual([undefined, K, 2 * K, 3 * K]);

  const record = await world.registry.get(tenant.id);
  expect(record?.lifecycleState).toBe('PURGED');
  expect(record?.attributeNames).not.toContain('purgeLockCheck');
  expect(await listAllVersions(s3.client, bucket, tenant.prefix)).toEqual([]);
  const audit = await auditTrail(world.doc, world.tables.audit, tenant.id);
  expect(audit.filter((a) => a.event === 'purge-lease-renew').map((a) => a.details)).toEqual(
    [1, 2, 3].map((i) => ({
      lockCheckVersions: OBJECTS + 1,
      lockChecked: K * i,
      deletedSoFar: 0,
    })),
  );
});

test('a job that lost its lease during its run saves no progress: the holder checks from the first version', async () => {
  const tenant = await purgeDueTenant();
  const h = harness();
  await h.sweep();
  const [first] = h.sent();
  h.during(async () => {
    h.during(async () => {});
    h.setNow(at(61));
    expect((await h.sweep()).claimed).toBe(1);
  });
  h.setNow(at(30));
  expect(await h.deliver(first)).toHaveLength(K);
  const record = await world.registry.get(tenant.id);
  expect(record).toMatchObject({ lifecycleState: 'PURGING', claimCount: 2 });
  expect(record?.purgeLockCheck).toBeUndefined();

  const second = h.sent()[1];
  h.setNow(at(70));
  expect((await h.deliver(second))[0]).toBe(tenant.versions[0]);
  expect(JSON.parse((await world.registry.get(tenant.id))?.purgeLockCheck ?? '{}')).toMatchObject({
    checked: K,
  });
});

test('a saved lock check that cannot be read is ignored: the check starts from the first version', async () => {
  const tenant = await purgeDueTenant({ purgeLockCheck: '{"listing":"x","checked":9}' });
  const h = harness();
  await h.sweep();
  const [body] = h.sent();
  h.setNow(at(10));
  expect((await h.deliver(body))[0]).toBe(tenant.versions[0]);
  expect(h.engineRuns[0]?.lockCheck).toBeUndefined();
  expect(JSON.parse((await world.registry.get(tenant.id))?.purgeLockCheck ?? '{}')).toMatchObject({
    versions: OBJECTS + 1,
    checked: K,
  });
});
