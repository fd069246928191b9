import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { DEFAULT_CONFIG } from '../../lib/config';
import { AwsClients, OperationFailedError, RefusedError, restoreFiles } from '../../lib/recovery';
import type { TestMoto } from '../support/moto';
import { startMoto } from '../support/moto';
import { fakeRuntime } from './fakes';

/**
 * restore-files against moto_server with real versioned objects in an Object Lock bucket
 * (governance-mode retention on every written version). Each prefix gets the same story:
 * versions before T, then overwrites, deletions and new keys after T.
 *
 * moto limitation: with a bucket-level *default* retention, moto demands a Content-MD5 header on
 * CopyObject (which has no body), so the retention is set per object on upload instead.
 */
const REGION = 'ap-southeast-2';
const BUCKET = 'logi-prod-ap-southeast-2-files';
const PREFIXES = ['tenants/acme/', 'tenants/beta/'];
const OTHER = 'tenants/other/x.pdf';

let moto: TestMoto;
let s3: S3Client;
let T: Date;
/** Key -> content at T (undefined: must not exist at T). */
const atT = new Map<string, string | undefined>();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function put(key: string, body: string): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: key,
      Body: body,
      ContentType: 'application/pdf',
      Metadata: { tenant: key.split('/')[1] },
      ObjectLockMode: 'GOVERNANCE',
      ObjectLockRetainUntilDate: new Date(Date.now() + 86_400_000),
    }),
  );
}

async function remove(key: string): Promise<void> {
  await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
}

async function current(key: string): Promise<string | undefined> {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return await out.Body?.transformToString();
  } catch (error) {
    if ((error as Error).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

/** Every version and delete marker id under a prefix (sorted), to prove nothing was deleted. */
async function versionIds(prefix: string): Promise<string[]> {
  const out = await s3.send(new ListObjectVersionsCommand({ Bucket: BUCKET, Prefix: prefix }));
  return [...(out.Versions ?? []), ...(out.DeleteMarkers ?? [])]
    .map((v) => `${v.Key}@${v.VersionId}`)
    .sort();
}

async function contents(prefix: string): Promise<Record<string, string | undefined>> {
  const keys = [...atT.keys()].filter((k) => k.startsWith(prefix));
  const result: Record<string, string | undefined> = {};
  for (const key of keys) result[key] = await current(key);
  return result;
}

function expectedAtT(prefix: string): Record<string, string | undefined> {
  return Object.fromEntries([...atT].filter(([k]) => k.startsWith(prefix)));
}

function runtime(clients?: AwsClients) {
  return fakeRuntime({
    now: new Date(Date.now() + 60_000),
    clients: clients ?? new AwsClients(moto.clientConfig(REGION)),
  });
}

beforeAll(async () => {
  moto = await startMoto();
  s3 = new S3Client(moto.clientConfig(REGION));
  await s3.send(
    new CreateBucketCommand({
      Bucket: BUCKET,
      ObjectLockEnabledForBucket: true,
      CreateBucketConfiguration: { LocationConstraint: REGION },
    }),
  );
  // Before T.
  for (const p of PREFIXES) {
    for (const k of ['a', 'b', 'c', 'd', 'f']) await put(`${p}${k}.pdf`, `${p}${k} v1`);
  }
  await put(OTHER, 'other v1');
  await sleep(1100);
  for (const p of PREFIXES) {
    await put(`${p}c.pdf`, `${p}c v2`);
    await remove(`${p}f.pdf`);
  }
  await sleep(1100);
  T = new Date();
  await sleep(1100);
  // After T: the attack.
  for (const p of PREFIXES) {
    await put(`${p}a.pdf`, 'ENCRYPTED');
    await remove(`${p}b.pdf`);
    await put(`${p}c.pdf`, 'ENCRYPTED');
    await put(`${p}e.txt`, 'ransom note');
    await put(`${p}f.pdf`, 'ENCRYPTED');
  }
  await put(OTHER, 'ENCRYPTED');
  await sleep(1100);
  for (const p of PREFIXES) await put(`${p}c.pdf`, 'ENCRYPTED twice');
  for (const p of PREFIXES) {
    atT.set(`${p}a.pdf`, `${p}a v1`);
    atT.set(`${p}b.pdf`, `${p}b v1`);
    atT.set(`${p}c.pdf`, `${p}c v2`);
    atT.set(`${p}d.pdf`, `${p}d v1`);
    atT.set(`${p}e.txt`, undefined);
    atT.set(`${p}f.pdf`, undefined);
  }
}, 60_000);

afterAll(async () => {
  await moto?.stop();
});

const base = (prefix: string) => ({
  env: 'prod',
  region: REGION,
  prefix,
  toTime: T.toISOString(),
  listPageSize: 2,
});

test('dry run reports what would change and changes nothing', async () => {
  const before = await versionIds('tenants/');
  const beforeContent = await contents('tenants/acme/');
  const rt = runtime();
  const summary = await restoreFiles(DEFAULT_CONFIG, base('tenants/acme/'), rt);
  expect(summary).toMatchObject({
    applied: false,
    toRestore: 5,
    restored: 0,
    unchanged: 1,
    skipped: 0,
  });
  expect(rt.terminal.text()).toContain(
    'Plan: 5 to restore (3 by copying the version at T, 2 by a delete marker as they were absent at T), 1 unchanged, 0 skipped.',
  );
  expect(rt.terminal.text()).toContain('[dry run] would call s3:CopyObject');
  expect(rt.terminal.text()).toContain('[dry run] would call s3:DeleteObject {"Bucket"');
  expect(await versionIds('tenants/')).toEqual(before);
  expect(await contents('tenants/acme/')).toEqual(beforeContent);
});

test('--prefix matches whole path segments: tenants/oth never touches tenants/other/', async () => {
  const partial = await restoreFiles(DEFAULT_CONFIG, base('tenants/oth'), runtime());
  expect(partial).toMatchObject({ toRestore: 0, unchanged: 0 });
  const whole = await restoreFiles(DEFAULT_CONFIG, base('tenants/other'), runtime());
  expect(whole).toMatchObject({ toRestore: 1 });
});

test('--keep-new-keys skips keys created after T, with the reason', async () => {
  const rt = runtime();
  const summary = await restoreFiles(
    DEFAULT_CONFIG,
    { ...base('tenants/acme/'), keepNewKeys: true },
    rt,
  );
  expect(summary.skippedKeys).toEqual([
    { key: 'tenants/acme/e.txt', reason: 'created after T; kept visible by --keep-new-keys' },
  ]);
});

test('--apply with the wrong confirmation refuses and changes nothing', async () => {
  const before = await versionIds('tenants/');
  await expect(
    restoreFiles(
      DEFAULT_CONFIG,
      { ...base('tenants/acme/'), apply: true, confirm: 'prod/wrong' },
      runtime(),
    ),
  ).rejects.toThrow(RefusedError);
  expect(await versionIds('tenants/')).toEqual(before);
});

test('--apply restores every key to its content at T, deletes no version, then a rerun is all unchanged', async () => {
  const before = await versionIds('tenants/acme/');
  const otherBefore = await current(OTHER);
  const rt = runtime();
  const summary = await restoreFiles(
    DEFAULT_CONFIG,
    { ...base('tenants/acme/'), apply: true, confirm: `prod/${BUCKET}` },
    rt,
  );
  expect(summary).toMatchObject({
    restored: 5,
    copied: 3,
    deleteMarkers: 2,
    unchanged: 1,
    skipped: 0,
  });
  expect(await contents('tenants/acme/')).toEqual(expectedAtT('tenants/acme/'));
  const after = await versionIds('tenants/acme/');
  expect(after).toEqual(expect.arrayContaining(before));
  expect(after).toHaveLength(before.length + 5);
  expect(await current(OTHER)).toBe(otherBefore);

  const again = await restoreFiles(
    DEFAULT_CONFIG,
    { ...base('tenants/acme/'), apply: true, confirm: `prod/${BUCKET}` },
    runtime(),
  );
  expect(again).toMatchObject({ restored: 0, unchanged: 6, skipped: 0 });
  expect(await versionIds('tenants/acme/')).toEqual(after);
});

/** An S3 client whose third change (CopyObject or DeleteObject) fails like a dropped connection. */
class CrashingClients extends AwsClients {
  changes = 0;
  override s3(region: string): S3Client {
    const client = super.s3(region);
    if (!client.middlewareStack.identify().some((m) => m.startsWith('injectCrash'))) {
      client.middlewareStack.add(
        (next, context) => async (args) => {
          if (['CopyObjectCommand', 'DeleteObjectCommand'].includes(context.commandName ?? '')) {
            this.changes += 1;
            if (this.changes === 3) throw new Error('socket hang up (injected crash)');
          }
          return next(args);
        },
        { step: 'initialize', name: 'injectCrash' },
      );
    }
    return client;
  }
}

test('an interrupted run resumes from the state file and converges', async () => {
  const stateFile = join(mkdtempSync(join(tmpdir(), 'restore-files-')), 'state.jsonl');
  const options = { ...base('tenants/beta/'), apply: true, confirm: `prod/${BUCKET}`, stateFile };
  const crashing = runtime(new CrashingClients(moto.clientConfig(REGION)));
  const failure = restoreFiles(DEFAULT_CONFIG, options, crashing);
  await expect(failure).rejects.toThrow(OperationFailedError);
  await expect(failure).rejects.toThrow(/after 2 of 5 changes.*injected crash/);
  const lines = readFileSync(stateFile, 'utf8').trim().split('\n');
  expect(lines).toHaveLength(1 + 2);

  const resumed = runtime();
  const summary = await restoreFiles(DEFAULT_CONFIG, options, resumed);
  expect(resumed.terminal.text()).toContain('resuming: 2 keys done');
  expect(summary).toMatchObject({ restored: 3, unchanged: 3, skipped: 0 });
  expect(await contents('tenants/beta/')).toEqual(expectedAtT('tenants/beta/'));

  const third = await restoreFiles(DEFAULT_CONFIG, options, runtime());
  expect(third).toMatchObject({ restored: 0, unchanged: 6 });
});

test('a state file of another roll-back is refused', async () => {
  const stateFile = join(mkdtempSync(join(tmpdir(), 'restore-files-')), 'state.jsonl');
  await restoreFiles(
    DEFAULT_CONFIG,
    { ...base('tenants/acme/'), apply: true, confirm: `prod/${BUCKET}`, stateFile },
    runtime(),
  );
  await expect(
    restoreFiles(DEFAULT_CONFIG, { ...base('tenants/beta/'), stateFile }, runtime()),
  ).rejects.toThrow(/--state-file: .* belongs to another roll-back/);
});
