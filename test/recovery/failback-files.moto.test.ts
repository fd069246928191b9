import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutBucketEncryptionCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { DEFAULT_CONFIG } from '../../lib/config';
import type { FailbackFilesOptions } from '../../lib/recovery';
import { InputError, OperationFailedError, RefusedError, failbackFiles } from '../../lib/recovery';
import type { TestMoto } from '../support/moto';
import { startMoto } from '../support/moto';
import { fakeRuntime } from './fakes';
import { ReplicatingClients } from './replicating-clients';
import { body, put, versionIds } from './s3-objects';

/**
 * failback-files against moto_server: the buckets of both regions (named from the config, with an
 * app name of this file's own on the shared server), objects replicated before and after the
 * failover time T, objects written only in the secondary after T, and an archive under
 * COMPLIANCE retention. Replicas are marked as S3 marks them (see ReplicatingClients).
 */
const PRIMARY = 'ap-southeast-2';
const SECONDARY = 'ap-southeast-4';
const APP = `fb${randomBytes(4).toString('hex')}`;
const CONFIG = { ...DEFAULT_CONFIG, app: APP };
const ACCOUNT = DEFAULT_CONFIG.environments.prod.account;
const bucket = (region: string, purpose: string) => `${APP}-prod-${region}-${purpose}`;
const P_FILES = bucket(PRIMARY, 'files');
const S_FILES = bucket(SECONDARY, 'files');
const P_ARCHIVE = bucket(PRIMARY, 'archive');
const S_ARCHIVE = bucket(SECONDARY, 'archive');
const keyArn = (region: string, id: string) => `arn:aws:kms:${region}:${ACCOUNT}:key/${id}`;
const P_FILES_KEY = keyArn(PRIMARY, '0f1e2d3c-files');
const P_ARCHIVE_KEY = keyArn(PRIMARY, '4b5a6978-archive');
const MiB = 1024 * 1024;
const BIG = Buffer.alloc(6 * MiB + 123, 7);

let moto: TestMoto;
let primary: S3Client;
let secondary: S3Client;
let T: Date;
const replicas: { bucket: string; key: string; versionId: string }[] = [];
const archiveUntil = new Date(Date.now() + 2 * 86_400_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A write in the primary and what S3 replication makes of it in the secondary. */
async function replicated(Bucket: string, Key: string, body: string): Promise<void> {
  await put(primary, Bucket, Key, body, { ChecksumAlgorithm: 'SHA256' });
  const replicaBucket = Bucket === P_FILES ? S_FILES : S_ARCHIVE;
  const versionId = await put(secondary, replicaBucket, Key, body, { ChecksumAlgorithm: 'SHA256' });
  replicas.push({ bucket: replicaBucket, key: Key, versionId });
}

function clients(): ReplicatingClients {
  const c = new ReplicatingClients(moto.clientConfig());
  for (const r of replicas) c.markReplica(r.bucket, r.key, r.versionId);
  return c;
}

function runtime(c: ReplicatingClients = clients()) {
  return fakeRuntime({ now: new Date(Date.now() + 60_000), clients: c });
}

const base = (buckets: string): FailbackFilesOptions => ({
  env: 'prod',
  buckets,
  since: T.toISOString(),
  listPageSize: 3,
  maxSingleCopyBytes: 5 * MiB,
  partSizeBytes: 5 * MiB,
});
const CONFIRM = `prod/${PRIMARY}`;

beforeAll(async () => {
  moto = await startMoto();
  primary = new S3Client(moto.clientConfig(PRIMARY));
  secondary = new S3Client(moto.clientConfig(SECONDARY));
  for (const [s3, region, name] of [
    [primary, PRIMARY, P_FILES],
    [primary, PRIMARY, P_ARCHIVE],
    [secondary, SECONDARY, S_FILES],
    [secondary, SECONDARY, S_ARCHIVE],
  ] as const) {
    await s3.send(
      new CreateBucketCommand({
        Bucket: name,
        ObjectLockEnabledForBucket: true,
        CreateBucketConfiguration: { LocationConstraint: region },
      }),
    );
  }
  for (const [name, key] of [
    [P_FILES, P_FILES_KEY],
    [P_ARCHIVE, P_ARCHIVE_KEY],
  ]) {
    await primary.send(
      new PutBucketEncryptionCommand({
        Bucket: name,
        ServerSideEncryptionConfiguration: {
          Rules: [
            {
              ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key },
              BucketKeyEnabled: true,
            },
          ],
        },
      }),
    );
  }
  // Before the failover: the primary writes, S3 replicates.
  await replicated(P_FILES, 'tenants/acme/old.pdf', 'old');
  await replicated(P_FILES, 'tenants/acme/gone.pdf', 'gone');
  await put(primary, P_FILES, 'tenants/acme/same.pdf', 'same bytes', {
    ChecksumAlgorithm: 'SHA256',
  });
  await put(primary, P_FILES, 'tenants/acme/same-size.pdf', 'AAAA');
  await put(secondary, S_ARCHIVE, 'archive/beta/c0/manifest.json', 'older archive', {
    ObjectLockMode: 'COMPLIANCE',
    ObjectLockRetainUntilDate: archiveUntil,
  });
  await sleep(1100);
  T = new Date();
  await sleep(1100);
  // After it, the secondary is the writer.
  const governance = {
    ObjectLockMode: 'GOVERNANCE' as const,
    ObjectLockRetainUntilDate: new Date(Date.now() + 86_400_000),
  };
  await put(secondary, S_FILES, 'tenants/acme/new.pdf', 'new v1', { ChecksumAlgorithm: 'SHA256' });
  await put(secondary, S_FILES, 'tenants/acme/new.pdf', 'new v2', {
    ChecksumAlgorithm: 'SHA256',
    Metadata: { tenant: 'acme' },
    ...governance,
  });
  await put(secondary, S_FILES, 'tenants/acme/crc.pdf', 'no sha-256 stored'); // the SDK's CRC32
  await put(secondary, S_FILES, 'tenants/acme/same.pdf', 'same bytes', {
    ChecksumAlgorithm: 'SHA256',
  });
  await put(secondary, S_FILES, 'tenants/acme/same-size.pdf', 'BBBB');
  await put(secondary, S_FILES, 'tenants/acme/big.bin', BIG, { ContentType: 'application/zip' });
  await put(secondary, S_FILES, 'tenants/acme-corp/y.pdf', 'acme-corp', {
    ChecksumAlgorithm: 'SHA256',
  });
  await secondary.send(new DeleteObjectCommand({ Bucket: S_FILES, Key: 'tenants/acme/gone.pdf' }));
  // Replicated late (after T) from a primary that has since purged it: never to come back.
  const lateId = await put(secondary, S_FILES, 'tenants/acme/late-replica.pdf', 'purged', {
    ChecksumAlgorithm: 'SHA256',
  });
  replicas.push({ bucket: S_FILES, key: 'tenants/acme/late-replica.pdf', versionId: lateId });
  const compliance = {
    ObjectLockMode: 'COMPLIANCE' as const,
    ObjectLockRetainUntilDate: archiveUntil,
    ChecksumAlgorithm: 'SHA256' as const,
  };
  await put(secondary, S_ARCHIVE, 'archive/acme/c1/files/tenants/acme/pod.png', 'png', compliance);
  await put(secondary, S_ARCHIVE, 'archive/acme/c1/manifest.json', '{"files":1}', compliance);
}, 60_000);

afterAll(async () => {
  await moto?.stop();
});

test('dry run: plans each bucket from the secondary to the primary and changes nothing', async () => {
  const before = [await versionIds(primary, P_FILES), await versionIds(primary, P_ARCHIVE)];
  const rt = runtime();
  const summary = await failbackFiles(CONFIG, base('both'), rt);
  const [files, archive] = summary.buckets;
  expect(files).toMatchObject({
    source: S_FILES,
    destination: P_FILES,
    keyArn: P_FILES_KEY,
    toCopy: 5,
    toLock: 0,
    there: 1,
    replicas: 1,
    deletedInSecondary: ['tenants/acme/gone.pdf'],
    skipped: [],
  });
  expect(archive).toMatchObject({ destination: P_ARCHIVE, toCopy: 2, there: 0, replicas: 0 });
  const text = rt.terminal.text();
  expect(text).toContain(
    '  copy   tenants/acme/same-size.pdf (4 bytes, the primary has older, other content)',
  );
  expect(text).toContain('  there  tenants/acme/same.pdf (the primary holds the same content)');
  expect(text).toMatch(/\[dry run\] would call s3:CopyObject .*"ChecksumAlgorithm":"SHA256"/);
  expect(text).toContain(`"SSEKMSKeyId":"${P_FILES_KEY}"`);
  expect(text).toContain('[dry run] would call s3:CreateMultipartUpload');
  expect(text).toContain(`then lock COMPLIANCE until ${archiveUntil.toISOString()}`);
  expect([await versionIds(primary, P_FILES), await versionIds(primary, P_ARCHIVE)]).toEqual(
    before,
  );
});

test('bad input is refused with the option named, before any S3 call', async () => {
  const now = new Date();
  const cases: [Partial<FailbackFilesOptions>, RegExp][] = [
    [{ since: new Date(now.getTime() + 3_600_000).toISOString() }, /^--since: .* is in the future/],
    [{ since: '2026-11-31T00:00:00Z' }, /^--since: "2026-11-31T00:00:00Z" is not an ISO-8601 time/],
    [{ since: '2026-11-01T00:00:00' }, /^--since: .* is not an ISO-8601 time with a time zone/],
    [{ buckets: 'logs' }, /^--buckets: "logs" is not one of files, archive, both/],
    [{ env: 'dev' }, /^--env: environment "dev" has one region/],
    [{ prefix: '/tenants/acme' }, /^--prefix: .* starts with "\/"/],
    [{ apply: true, dryRun: true }, /^--dry-run: contradicts --apply/],
  ];
  // Clients of an endpoint that answers nothing: an S3 call would fail otherwise than refused.
  const offline = new ReplicatingClients({
    ...moto.clientConfig(),
    endpoint: 'http://127.0.0.1:9',
  });
  for (const [options, message] of cases) {
    const failure = failbackFiles(CONFIG, { ...base('files'), ...options }, runtime(offline));
    await expect(failure).rejects.toThrow(InputError);
    await expect(failure).rejects.toThrow(message);
  }
});

test('--prefix takes whole path segments: tenants/acme never covers tenants/acme-corp/', async () => {
  const acme = await failbackFiles(CONFIG, { ...base('files'), prefix: 'tenants/acme' }, runtime());
  expect(acme.buckets[0]).toMatchObject({ toCopy: 4, there: 1 });
  const corp = await failbackFiles(
    CONFIG,
    { ...base('files'), prefix: 'tenants/acme-corp' },
    runtime(),
  );
  expect(corp.buckets[0]).toMatchObject({ toCopy: 1, there: 0, replicas: 0 });
});

test('--apply with the wrong confirmation refuses without showing the expected text', async () => {
  const before = await versionIds(primary, P_FILES);
  const failure = failbackFiles(
    CONFIG,
    { ...base('files'), apply: true, confirm: 'prod/wrong' },
    runtime(),
  );
  await expect(failure).rejects.toThrow(RefusedError);
  await expect(failure).rejects.not.toThrow(CONFIRM);
  expect(await versionIds(primary, P_FILES)).toEqual(before);
});

test('archive: each copy keeps its COMPLIANCE retention; a crash before the lock is repaired by the rerun', async () => {
  const crashing = clients().failNth('PutObjectRetentionCommand', 1);
  const failure = failbackFiles(
    CONFIG,
    { ...base('archive'), apply: true, confirm: CONFIRM },
    runtime(crashing),
  );
  await expect(failure).rejects.toThrow(OperationFailedError);
  await expect(failure).rejects.toThrow(
    /stopped at .*\/archive\/acme\/c1\/files\/tenants\/acme\/pod\.png after 0 of 2 changes/,
  );

  const rerun = runtime();
  const summary = await failbackFiles(
    CONFIG,
    { ...base('archive'), apply: true, confirm: CONFIRM },
    rerun,
  );
  expect(summary.buckets[0]).toMatchObject({ toCopy: 1, toLock: 1, copied: 1, locked: 1 });
  expect(rerun.terminal.text()).toContain('  lock   archive/acme/c1/files/tenants/acme/pod.png');
  for (const key of [
    'archive/acme/c1/files/tenants/acme/pod.png',
    'archive/acme/c1/manifest.json',
  ]) {
    const head = await primary.send(new HeadObjectCommand({ Bucket: P_ARCHIVE, Key: key }));
    const versions = await versionIds(primary, P_ARCHIVE);
    const current = versions.filter((v) => v.startsWith(`${key}@`));
    expect(current).toHaveLength(1); // the rerun locked the first copy; it made no second one
    const locked = await primary.send(
      new HeadObjectCommand({ Bucket: P_ARCHIVE, Key: key, VersionId: head.VersionId }),
    );
    expect({
      mode: locked.ObjectLockMode,
      until: locked.ObjectLockRetainUntilDate?.toISOString(),
    }).toEqual({
      mode: 'COMPLIANCE',
      until: archiveUntil.toISOString(),
    });
    expect(locked).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: P_ARCHIVE_KEY });
  }
  // A version older than T is never copied.
  expect(await body(primary, P_ARCHIVE, 'archive/beta/c0/manifest.json')).toBeUndefined();
  const again = await failbackFiles(
    CONFIG,
    { ...base('archive'), apply: true, confirm: CONFIRM },
    runtime(),
  );
  expect(again.buckets[0]).toMatchObject({ toCopy: 0, toLock: 0, there: 2 });
});

test('files: a crash in the middle, a rerun with the state file converges, a third run copies nothing', async () => {
  const stateFile = join(mkdtempSync(join(tmpdir(), 'failback-')), 'state.jsonl');
  const options = { ...base('files'), apply: true, confirm: CONFIRM, stateFile };
  const untouched = await versionIds(primary, P_FILES);
  const crashing = clients().failNth('CopyObjectCommand', 3);
  const failure = failbackFiles(CONFIG, options, runtime(crashing));
  await expect(failure).rejects.toThrow(/after 3 of 5 changes: .*injected: CopyObjectCommand #3/);
  expect(readFileSync(stateFile, 'utf8').trim().split('\n')).toHaveLength(1 + 3);

  const resumed = runtime();
  const summary = await failbackFiles(CONFIG, options, resumed);
  expect(resumed.terminal.text()).toContain(`State file ${stateFile}: 3 keys done, skipped.`);
  expect(summary.buckets[0]).toMatchObject({ copied: 2, resumed: 3, replicas: 1, there: 1 });

  // What the secondary received is in the primary, with the same bytes; nothing else changed.
  for (const [key, content] of [
    ['tenants/acme/new.pdf', 'new v2'],
    ['tenants/acme/crc.pdf', 'no sha-256 stored'],
    ['tenants/acme/same-size.pdf', 'BBBB'],
    ['tenants/acme-corp/y.pdf', 'acme-corp'],
  ]) {
    expect(await body(primary, P_FILES, key)).toBe(content);
  }
  const big = await primary.send(
    new GetObjectCommand({ Bucket: P_FILES, Key: 'tenants/acme/big.bin' }),
  );
  expect(Buffer.from(await big.Body!.transformToByteArray()).equals(BIG)).toBe(true);
  expect(big.ContentType).toBe('application/zip');
  expect(await body(primary, P_FILES, 'tenants/acme/late-replica.pdf')).toBeUndefined();
  expect(await body(primary, P_FILES, 'tenants/acme/gone.pdf')).toBe('gone');
  const after = await versionIds(primary, P_FILES);
  expect(after).toEqual(expect.arrayContaining(untouched));
  expect(after).toHaveLength(untouched.length + 5); // same.pdf got no new version

  const copy = await primary.send(
    new HeadObjectCommand({
      Bucket: P_FILES,
      Key: 'tenants/acme/new.pdf',
      ChecksumMode: 'ENABLED',
    }),
  );
  const source = await secondary.send(
    new HeadObjectCommand({
      Bucket: S_FILES,
      Key: 'tenants/acme/new.pdf',
      ChecksumMode: 'ENABLED',
    }),
  );
  expect(copy).toMatchObject({
    ServerSideEncryption: 'aws:kms',
    SSEKMSKeyId: P_FILES_KEY,
    ChecksumSHA256: source.ChecksumSHA256,
    Metadata: { tenant: 'acme' },
  });
  const locked = await primary.send(
    new HeadObjectCommand({
      Bucket: P_FILES,
      Key: 'tenants/acme/new.pdf',
      VersionId: copy.VersionId,
    }),
  );
  expect(locked.ObjectLockMode).toBe('GOVERNANCE');
  expect(locked.ObjectLockRetainUntilDate).toEqual(source.ObjectLockRetainUntilDate);

  const third = await failbackFiles(CONFIG, options, runtime());
  expect(third.buckets[0]).toMatchObject({ toCopy: 0, copied: 0, resumed: 5 });
  const without = await failbackFiles(CONFIG, { ...options, stateFile: undefined }, runtime());
  expect(without.buckets[0]).toMatchObject({ toCopy: 0, toLock: 0, there: 6 });
  expect(await versionIds(primary, P_FILES)).toEqual(after);
});

test("a state file: a missing one says so in a dry run; another run's is refused", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'failback-'));
  const rt = runtime();
  await failbackFiles(CONFIG, { ...base('files'), stateFile: join(dir, 'none.jsonl') }, rt);
  expect(rt.terminal.text()).toContain('does not exist (a dry run does not create it)');
  const other = join(dir, 'other.jsonl');
  await failbackFiles(
    CONFIG,
    { ...base('archive'), apply: true, confirm: CONFIRM, stateFile: other },
    runtime(),
  );
  await expect(
    failbackFiles(CONFIG, { ...base('files'), stateFile: other }, runtime()),
  ).rejects.toThrow(/--state-file: .* belongs to another failback/);
  await expect(
    failbackFiles(
      CONFIG,
      { ...base('files'), apply: true, stateFile: join(dir, 'no/such/state.jsonl') },
      runtime(),
    ),
  ).rejects.toThrow(/--state-file: cannot create .* \(ENOENT: its folder does not exist\)/);
});
