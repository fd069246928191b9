import {
  CopyObjectCommand,
  DeleteObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DEFAULT_CONFIG } from '../../lib/config';
import { InputError, RefusedError, restoreFiles } from '../../lib/recovery';
import { fakeRuntime } from './fakes';

const s3 = mockClient(S3Client);
const BUCKET = 'logi-prod-ap-southeast-2-files';
const base = {
  env: 'prod',
  region: 'ap-southeast-2',
  prefix: 'tenants/acme/',
  toTime: '2025-03-01T02:30:00Z',
};

beforeEach(() => {
  s3.reset();
  // With SSE-KMS a copy has another ETag: the rerun recognises it by its restored-from-version marker.
  s3.on(ListObjectVersionsCommand).resolves({
    Versions: [
      {
        Key: 'tenants/acme/x.pdf',
        VersionId: 'copy',
        IsLatest: true,
        ETag: '"kms-2"',
        Size: 5,
        LastModified: new Date('2025-03-01T09:00:00Z'),
      },
      {
        Key: 'tenants/acme/x.pdf',
        VersionId: 'bad',
        IsLatest: false,
        ETag: '"kms-1"',
        Size: 9,
        LastModified: new Date('2025-03-01T03:00:00Z'),
      },
      {
        Key: 'tenants/acme/x.pdf',
        VersionId: 'good',
        IsLatest: false,
        ETag: '"kms-0"',
        Size: 5,
        LastModified: new Date('2025-03-01T01:00:00Z'),
      },
    ],
  });
  s3.on(HeadObjectCommand, { VersionId: 'copy' }).resolves({
    Metadata: { 'restored-from-version': 'good' },
  });
});

test('a key restored by an earlier run (SSE-KMS: different ETag) is recognised by its marker', async () => {
  const summary = await restoreFiles(
    DEFAULT_CONFIG,
    { ...base, apply: true, confirm: `prod/${BUCKET}` },
    fakeRuntime(),
  );
  expect(summary).toMatchObject({ restored: 0, unchanged: 1 });
  expect(s3).not.toHaveReceivedCommand(CopyObjectCommand);
});

test('refusals: future time, missing prefix, --apply with --dry-run, no TTY; nothing is listed or changed', async () => {
  const rt = fakeRuntime();
  await expect(
    restoreFiles(DEFAULT_CONFIG, { ...base, toTime: '2025-03-02T00:00:00Z' }, rt),
  ).rejects.toThrow(/--to-time: .* is in the future/);
  await expect(restoreFiles(DEFAULT_CONFIG, { ...base, prefix: '' }, rt)).rejects.toThrow(
    InputError,
  );
  await expect(
    restoreFiles(DEFAULT_CONFIG, { ...base, apply: true, dryRun: true }, rt),
  ).rejects.toThrow(/--dry-run: contradicts --apply/);
  expect(s3).not.toHaveReceivedCommand(ListObjectVersionsCommand);

  s3.on(HeadObjectCommand, { VersionId: 'copy' }).resolves({ Metadata: {} });
  s3.on(HeadObjectCommand, { VersionId: 'good' }).resolves({ Metadata: {} });
  const noTty = restoreFiles(
    DEFAULT_CONFIG,
    { ...base, apply: true },
    fakeRuntime({ interactive: false }),
  );
  await expect(noTty).rejects.toThrow(RefusedError);
  await expect(noTty).rejects.toThrow(/no terminal/);
  expect(s3).not.toHaveReceivedCommand(CopyObjectCommand);
  expect(s3).not.toHaveReceivedCommand(DeleteObjectCommand);
});

test('a --to-time before the oldest version under the prefix is refused, nothing changed', async () => {
  await expect(
    restoreFiles(
      DEFAULT_CONFIG,
      { ...base, toTime: '2025-02-01T00:00:00Z', apply: true, confirm: `prod/${BUCKET}` },
      fakeRuntime(),
    ),
  ).rejects.toThrow(/--to-time: 2025-02-01T00:00:00.000Z is before the oldest version/);
  expect(s3).not.toHaveReceivedCommand(CopyObjectCommand);
  expect(s3).not.toHaveReceivedCommand(DeleteObjectCommand);
});

test('a --state-file in a folder that does not exist says so (not an AWS error)', async () => {
  const failure = restoreFiles(
    DEFAULT_CONFIG,
    { ...base, apply: true, stateFile: '/nonexistent-folder/state.jsonl' },
    fakeRuntime(),
  );
  await expect(failure).rejects.toThrow(InputError);
  await expect(failure).rejects.toThrow(
    /--state-file: cannot create \/nonexistent-folder\/state.jsonl \(ENOENT: its folder does not exist\)/,
  );
});

test('a person types the confirmation at a terminal', async () => {
  s3.on(HeadObjectCommand).resolves({ Metadata: {}, ContentType: 'application/pdf' });
  s3.on(CopyObjectCommand).resolves({});
  const rt = fakeRuntime({ interactive: true, answers: [`prod/${BUCKET}`] });
  const summary = await restoreFiles(DEFAULT_CONFIG, { ...base, apply: true }, rt);
  expect(rt.terminal.questions).toEqual([`Type prod/${BUCKET} to continue: `]);
  expect(summary.copied).toBe(1);
  expect(s3).toHaveReceivedCommandWith(CopyObjectCommand, {
    Bucket: BUCKET,
    Key: 'tenants/acme/x.pdf',
    CopySource: `${BUCKET}/tenants/acme/x.pdf?versionId=good`,
    MetadataDirective: 'REPLACE',
    Metadata: { 'restored-from-version': 'good' },
    ContentType: 'application/pdf',
  });
  expect(s3).not.toHaveReceivedCommand(DeleteObjectCommand);
});
