import {
  PutObjectCommand,
  PutObjectLegalHoldCommand,
  PutObjectRetentionCommand,
} from '@aws-sdk/client-s3';
import type {
  ArchiveBudget,
  PurgeCheckpoint,
  PurgeDeps,
  PurgeResult,
} from '../../../../lambda/shared/archive';
import {
  archiveTenant,
  isArchiveError,
  PURGE_STEPS,
  purgeTenant,
} from '../../../../lambda/shared/archive';
import { listAllVersions } from '../../../../lambda/shared/archive/object-versions';
import type { PurgeLockCheck } from '../../../../lambda/shared/archive/purge-tenant';
import { seedTenant } from './fixtures/logistics-schema';
import type { ArchiveWorld, Buckets, S3Call } from './fixtures/world';
import {
  crashAfter,
  createBuckets,
  depsFor,
  InjectedCrash,
  recordingLogger,
  recordingS3,
  seedFiles,
  seedManyFiles,
  startWorld,
} from './fixtures/world';

/**
 * A purge whose lock check does not fit one invocation: archives of 19 versions (4 table
 * exports, 14 files, the manifest) purged with a budget that runs out after `K` HeadObject
 * requests, each checkpoint's `lockCheck` handed to the next run as the purge job does (through
 * the registry). The archives are written with a retention of a few seconds, outlasted first.
 */
const ARCHIVE_ID = 'closure-1';
const K = 4;
const EXTRA_FILES = 10;
const TENANTS = [
  'converges',
  'late-lock',
  'legal-hold',
  'appears-mid-check',
  'appears-mid-delete',
  'delete-total',
  ...PURGE_STEPS.map((step) => `crash-${step.replace(':', '-')}`),
] as const;

let world: ArchiveWorld;
let buckets: Buckets;
let s3: ReturnType<typeof recordingS3>;

const prefixOf = (tenantId: string) => `archive/${tenantId}/${ARCHIVE_ID}/`;
const versionsOf = async (tenantId: string) =>
  (await listAllVersions(world.primary, buckets.archive, prefixOf(tenantId))).map(
    (v) => `${v.key}@${v.versionId}`,
  );
const idOf = (c: S3Call) => `${c.key}@${c.versionId}`;

beforeAll(async () => {
  world = await startWorld();
  const db = await world.openDatabase();
  buckets = await createBuckets(world);
  s3 = recordingS3(world);
  for (const tenantId of TENANTS) {
    await seedTenant(db.admin, tenantId, 3);
    await seedFiles(world, buckets, tenantId);
    await seedManyFiles(world, buckets, tenantId, EXTRA_FILES);
  }
  const retainUntil = new Date(Date.now() + 10_000);
  await Promise.all(
    TENANTS.map((tenantId) =>
      archiveTenant(depsFor(world, db, buckets), { tenantId, archiveId: ARCHIVE_ID, retainUntil }),
    ),
  );
  const wait = retainUntil.getTime() + 1500 - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
});

afterAll(async () => {
  s3?.client.destroy();
  await world?.stop();
});

function purgeDeps(options: Partial<Pick<PurgeDeps, 'clock' | 'faults' | 'tuning'>> = {}) {
  return {
    s3: s3.client,
    archiveBucket: buckets.archive,
    logger: recordingLogger(),
    clock: () => new Date(),
    ...options,
  };
}

/** One invocation: out of time once it has sent `heads` HeadObject (or `deletes` DeleteObjects). */
function budgetOf(limits: { heads?: number; deletes?: number }): ArchiveBudget {
  const start = s3.calls.length;
  const sent = (command: string) =>
    s3.calls.slice(start).filter((c) => c.command === command).length;
  return {
    remainingMs: () =>
      sent('HeadObjectCommand') < (limits.heads ?? Infinity) &&
      sent('DeleteObjectsCommand') < (limits.deletes ?? Infinity)
        ? 600_000
        : 1_000,
  };
}

interface Run {
  readonly outcome: PurgeResult | PurgeCheckpoint | Error;
  /** `key@versionId` of every HeadObject the run sent. */
  readonly heads: string[];
  /** Versions under the archive's prefix after the run. */
  readonly left: string[];
}

/**
 * Runs the purge of `tenantId` as its job's deliveries would: each checkpoint's `lockCheck` is
 * kept (as the registry keeps it) and handed to the next run, until the purge completes or
 * fails, or `maxRuns` (so that an engine that never converges fails the test instead of looping).
 */
async function purgeOverRuns(
  tenantId: string,
  options: {
    deps?: PurgeDeps;
    limits?: { heads?: number; deletes?: number };
    maxRuns?: number;
    saved?: PurgeLockCheck;
  } = {},
): Promise<{ runs: Run[]; saved?: PurgeLockCheck }> {
  const deps = options.deps ?? purgeDeps();
  let saved = options.saved;
  const runs: Run[] = [];
  for (let n = 0; n < (options.maxRuns ?? 20); n++) {
    const start = s3.calls.length;
    const outcome = await purgeTenant(
      deps,
      { tenantId, archiveId: ARCHIVE_ID, ...(saved ? { lockCheck: saved } : {}) },
      budgetOf(options.limits ?? { heads: K }),
    ).catch((e: unknown) => e as Error);
    const heads = s3.calls
      .slice(start)
      .filter((c) => c.command === 'HeadObjectCommand')
      .map(idOf);
    runs.push({ outcome, heads, left: await versionsOf(tenantId) });
    if (outcome instanceof Error || !('status' in outcome)) break;
    saved = outcome.lockCheck ?? saved;
  }
  return { runs, ...(saved ? { saved } : {}) };
}

const checkpoints = (runs: Run[]) =>
  runs.filter((r) => !(r.outcome instanceof Error) && 'status' in r.outcome);

test('a lock check longer than one invocation continues in the next: each run checks new versions, nothing is deleted until the last is checked', async () => {
  const tenantId = 'converges';
  const before = await versionsOf(tenantId);
  expect(before).toHaveLength(EXTRA_FILES + 9);
  const { runs } = await purgeOverRuns(tenantId);

  expect(runs.at(-1)?.outcome).toEqual({ deletedVersions: before.length });
  expect(await versionsOf(tenantId)).toEqual([]);
  // Several invocations, each checking at most K versions, none checked twice: the second run
  // does not check the first's versions again.
  expect(runs.length).toBeGreaterThanOrEqual(Math.ceil(before.length / K));
  for (const run of runs) expect(run.heads.length).toBeLessThanOrEqual(K);
  for (const run of checkpoints(runs).slice(0, -1)) expect(run.heads.length).toBe(K);
  const heads = runs.flatMap((r) => r.heads);
  expect(new Set(heads).size).toBe(heads.length);
  expect([...heads].sort()).toEqual([...before].sort());
  // Nothing is deleted by a run that stopped before the last version was checked.
  const lastHead = runs.findIndex((r) => r.heads.includes(heads.at(-1)!));
  for (const run of runs.slice(0, lastHead)) expect(run.left).toEqual(before);
});

test('a version still locked late in the order fails with PURGE_TOO_EARLY after several invocations, nothing deleted, and a later run checks it again', async () => {
  const tenantId = 'late-lock';
  const before = await versionsOf(tenantId);
  // The last file's version (the manifest follows it in listing order) stays locked a day more.
  const late = before.at(-2)!;
  const [key, versionId] = late.split('@');
  await world.primary.send(
    new PutObjectRetentionCommand({
      Bucket: buckets.archive,
      Key: key,
      VersionId: versionId,
      Retention: { Mode: 'COMPLIANCE', RetainUntilDate: new Date(Date.now() + 86_400_000) },
    }),
  );
  const { runs, saved } = await purgeOverRuns(tenantId);
  const failure = runs.at(-1)?.outcome;
  expect(isArchiveError(failure, 'PURGE_TOO_EARLY')).toBe(true);
  expect(String(failure)).toMatch(/locked until .*nothing was deleted/);
  expect(runs.length).toBeGreaterThanOrEqual(Math.floor((before.length - 2) / K));
  for (const run of runs) expect(run.left).toEqual(before);
  expect(runs.at(-1)?.heads).toContain(late);
  const heads = runs.flatMap((r) => r.heads);
  expect(new Set(heads).size).toBe(heads.length);

  // The saved progress stops before the locked version: a later run checks it again.
  expect(saved?.checked).toBeLessThanOrEqual(before.indexOf(late));
  const again = await purgeOverRuns(tenantId, { ...(saved ? { saved } : {}) });
  expect(isArchiveError(again.runs.at(-1)?.outcome, 'PURGE_TOO_EARLY')).toBe(true);
  expect(again.runs.flatMap((r) => r.heads)).toContain(late);
  expect(again.runs.flatMap((r) => r.heads)).not.toContain(before[0]);
  expect(await versionsOf(tenantId)).toEqual(before);
});

test('a version under a legal hold, its retention over, fails with PURGE_TOO_EARLY and nothing deleted; once the hold is removed the purge completes', async () => {
  const tenantId = 'legal-hold';
  const before = await versionsOf(tenantId);
  const held = before[1]!;
  const [key, versionId] = held.split('@');
  const hold = (Status: 'ON' | 'OFF') =>
    world.primary.send(
      new PutObjectLegalHoldCommand({
        Bucket: buckets.archive,
        Key: key,
        VersionId: versionId,
        LegalHold: { Status },
      }),
    );
  await hold('ON');
  const { runs } = await purgeOverRuns(tenantId);
  const failure = runs.at(-1)?.outcome;
  expect(isArchiveError(failure, 'PURGE_TOO_EARLY')).toBe(true);
  expect(String(failure)).toMatch(/1 under a legal hold.*nothing was deleted/);
  expect(String(failure)).not.toMatch(/locked until/);
  for (const run of runs) expect(run.left).toEqual(before);

  await hold('OFF');
  const released = await purgeOverRuns(tenantId);
  expect(released.runs.at(-1)?.outcome).toEqual({ deletedVersions: before.length });
  expect(await versionsOf(tenantId)).toEqual([]);
});

/** Writes a version under the tenant's archive prefix, locked for a day, as no worker should. */
async function writeLockedStranger(tenantId: string): Promise<string> {
  const key = `${prefixOf(tenantId)}files/zz-written-late.txt`;
  const put = await world.primary.send(
    new PutObjectCommand({
      Bucket: buckets.archive,
      Key: key,
      Body: 'written under a closed archive',
      ChecksumAlgorithm: 'SHA256',
      ObjectLockMode: 'COMPLIANCE',
      ObjectLockRetainUntilDate: new Date(Date.now() + 86_400_000),
    }),
  );
  return `${key}@${put.VersionId}`;
}

test('a version that appears under the prefix during the lock check is checked too: the check starts again over the new listing', async () => {
  const tenantId = 'appears-mid-check';
  const before = await versionsOf(tenantId);
  const first = await purgeOverRuns(tenantId, { maxRuns: 2 });
  expect(first.runs.flatMap((r) => r.heads)).toHaveLength(2 * K);
  const stranger = await writeLockedStranger(tenantId);

  const rest = await purgeOverRuns(tenantId, { ...(first.saved ? { saved: first.saved } : {}) });
  // The listing changed: the next run checks from the first version again.
  expect(rest.runs[0]?.heads[0]).toBe(before[0]);
  expect(rest.runs.flatMap((r) => r.heads)).toContain(stranger);
  const failure = rest.runs.at(-1)?.outcome;
  expect(isArchiveError(failure, 'PURGE_TOO_EARLY')).toBe(true);
  expect(String(failure)).toMatch(/nothing was deleted/);
  expect((await versionsOf(tenantId)).sort()).toEqual([...before, stranger].sort());
});

test('a purge whose deletion spans invocations reports every version it deleted, not only the last run of it', async () => {
  const tenantId = 'delete-total';
  const before = await versionsOf(tenantId);
  const deps = purgeDeps({ tuning: { filesPerCheckpoint: 3 } });
  const { runs } = await purgeOverRuns(tenantId, { deps, limits: { deletes: 2 } });
  expect(checkpoints(runs).length).toBeGreaterThan(1);
  // the purge job records this figure in the tenant's tombstone and its purge-complete audit item
  expect(runs.at(-1)?.outcome).toEqual({ deletedVersions: before.length });
  expect(await versionsOf(tenantId)).toEqual([]);
});

test('a deletion that spans invocations continues without checking again; a version that appears meanwhile is checked before anything more is deleted', async () => {
  const tenantId = 'appears-mid-delete';
  const before = await versionsOf(tenantId);
  const batch = 3;
  const deps = purgeDeps({ tuning: { filesPerCheckpoint: batch } });
  // Two runs, each out of time after two batches of deletions.
  const first = await purgeOverRuns(tenantId, { deps, limits: { deletes: 2 }, maxRuns: 2 });
  expect(first.runs.map((r) => r.outcome)).toEqual([
    expect.objectContaining({ status: 'in-progress', deletedVersions: 2 * batch }),
    expect.objectContaining({ status: 'in-progress', deletedVersions: 2 * batch }),
  ]);
  expect(first.runs[0]?.heads).toHaveLength(before.length);
  expect(first.runs[1]?.heads).toEqual([]);
  const remaining = first.runs[1]!.left;
  expect(remaining).toHaveLength(before.length - 4 * batch);
  expect(remaining.every((v) => before.includes(v))).toBe(true);
  expect(first.saved).toMatchObject({ versions: remaining.length, deleted: 4 * batch });

  const stranger = await writeLockedStranger(tenantId);
  const next = await purgeOverRuns(tenantId, {
    deps,
    limits: { deletes: 2 },
    ...(first.saved ? { saved: first.saved } : {}),
  });
  const failure = next.runs.at(-1)?.outcome;
  expect(isArchiveError(failure, 'PURGE_TOO_EARLY')).toBe(true);
  expect(String(failure)).toMatch(/nothing more was deleted/);
  expect(next.runs.flatMap((r) => r.heads).sort()).toEqual([...remaining, stranger].sort());
  expect((await versionsOf(tenantId)).sort()).toEqual([...remaining, stranger].sort());
});

test.each(PURGE_STEPS.map((step) => [step]))(
  'a crash after %s, in the run that finished a lock check of several runs, then reruns with a later clock, converge',
  async (step) => {
    const tenantId = `crash-${step.replace(':', '-')}`;
    const before = await versionsOf(tenantId);
    const crashed = await purgeOverRuns(tenantId, {
      deps: purgeDeps({ faults: crashAfter(step) }),
    });
    expect(crashed.runs.length).toBeGreaterThan(1);
    expect(crashed.runs.at(-1)?.outcome).toBeInstanceOf(InjectedCrash);
    const left = step === 'purge:objects' ? 1 : 0;
    expect(crashed.runs.at(-1)?.left).toHaveLength(left);

    const later = new Date(Date.now() + 86_400_000);
    const rerun = await purgeOverRuns(tenantId, {
      deps: purgeDeps({ clock: () => later }),
      ...(crashed.saved ? { saved: crashed.saved } : {}),
    });
    expect(rerun.runs.at(-1)?.outcome).toEqual({ deletedVersions: left });
    expect(rerun.runs.flatMap((r) => r.heads)).toHaveLength(left);
    expect(await versionsOf(tenantId)).toEqual([]);
    expect(before.length).toBeGreaterThan(K);
  },
);
