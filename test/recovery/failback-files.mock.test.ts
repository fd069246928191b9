import {
  CopyObjectCommand,
  GetBucketEncryptionCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DEFAULT_CONFIG } from '../../lib/config';
import { RefusedError, failbackFiles } from '../../lib/recovery';
import { fakeRuntime } from './fakes';

/** What moto cannot show: S3's refusals, and a primary bucket without its KMS key. */
const s3 = mockClient(S3Client);
const ACCOUNT = DEFAULT_CONFIG.environments.prod.account;
const options = { env: 'prod', buckets: 'archive', since: '2026-12-01T00:00:00Z' };
const runtime = () => fakeRuntime({ now: new Date('2026-12-05T00:00:00Z') });
const encryption = (SSEAlgorithm: 'aws:kms' | 'AES256', KMSMasterKeyID?: string) => ({
  ServerSideEncryptionConfiguration: {
    Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm, KMSMasterKeyID } }],
  },
});

beforeEach(() => {
  s3.reset();
  s3.on(GetBucketEncryptionCommand).resolves(
    encryption('aws:kms', `arn:aws:kms:ap-southeast-2:${ACCOUNT}:key/1234abcd-archive`),
  );
  s3.on(ListObjectVersionsCommand).resolves({
    Versions: [
      {
        Key: 'archive/acme/c1/manifest.json',
        VersionId: 'v1',
        IsLatest: true,
        LastModified: new Date('2026-12-02T00:00:00Z'),
        Size: 10,
      },
    ],
  });
});

test("an archive bucket's policy refusing the read is explained, and nothing is copied", async () => {
  s3.on(HeadObjectCommand).rejects(
    Object.assign(new Error('Forbidden'), {
      name: 'Forbidden',
      $metadata: { httpStatusCode: 403 },
    }),
  );
  const failure = failbackFiles(
    DEFAULT_CONFIG,
    { ...options, apply: true, confirm: 'prod/ap-southeast-2' },
    runtime(),
  );
  await expect(failure).rejects.toThrow(RefusedError);
  await expect(failure).rejects.toThrow(
    /S3 denied reading s3:\/\/logi-prod-ap-southeast-4-archive or s3:\/\/logi-prod-ap-southeast-2-archive \(Forbidden\): the archive buckets let only the lifecycle workers/,
  );
  expect(s3).not.toHaveReceivedCommand(CopyObjectCommand);
});

test('a primary bucket that does not encrypt with a KMS key of its region is refused before any copy', async () => {
  for (const answer of [
    encryption('AES256'),
    encryption('aws:kms', `arn:aws:kms:ap-southeast-4:${ACCOUNT}:key/1234abcd-other-region`),
    encryption(
      'aws:kms',
      `arn:aws:kms:ap-southeast-2:${ACCOUNT}:alias/logi-prod-ap-southeast-2-archive`,
    ),
  ]) {
    s3.on(GetBucketEncryptionCommand).resolves(answer);
    await expect(failbackFiles(DEFAULT_CONFIG, options, runtime())).rejects.toThrow(
      /s3:\/\/logi-prod-ap-southeast-2-archive does not encrypt with a KMS key of ap-southeast-2/,
    );
  }
  expect(s3).not.toHaveReceivedCommand(ListObjectVersionsCommand);
});
