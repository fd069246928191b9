import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { CopyObjectCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { checksumDisagrees, copyFiles } from '../../../../lambda/shared/archive/file-copy';
import { isArchiveError } from '../../../../lambda/shared/archive';

const BODY = 'PNG signature bytes 0001';
const base64Sha = (text: string) => createHash('sha256').update(text).digest('base64');

function s3Copying(checksum: string) {
  const s3 = mockClient(S3Client);
  s3.on(CopyObjectCommand).resolves({
    VersionId: 'copy-v1',
    CopyObjectResult: { ChecksumSHA256: checksum },
  });
  s3.on(GetObjectCommand).callsFake(() => ({
    Body: Readable.from([Buffer.from(BODY)]) as never,
  }));
  return s3;
}

const target = (client: S3Client) => ({
  s3: client,
  sourceBucket: 'files',
  archiveBucket: 'archive',
  tenantId: 'acme-freight',
  archiveId: 'closure-2026-03',
  concurrency: 1,
  maxSingleCopyBytes: 5 * 1024 ** 3,
  partSizeBytes: 64 * 1024 ** 2,
});
const file = { key: 'tenants/acme-freight/pod.png', versionId: 'src-v1', size: BODY.length };

afterEach(() => mockClient(S3Client).restore());

test('a copy is made with a SHA-256 additional checksum, recorded when the bytes read back agree', async () => {
  const s3 = s3Copying(base64Sha(BODY));
  const [copy] = await copyFiles(target(new S3Client({})), [file]);
  expect(s3.commandCalls(CopyObjectCommand)[0]!.args[0].input).toMatchObject({
    ChecksumAlgorithm: 'SHA256',
    CopySource: 'files/tenants%2Facme-freight%2Fpod.png?versionId=src-v1',
  });
  expect(copy).toMatchObject({ checksumSha256: base64Sha(BODY), bytes: BODY.length });
});

test("a copy whose bytes read back differ from S3's checksum of the copy fails the archive", async () => {
  s3Copying(base64Sha('PNG signature bytes 0002')); // same size, other content
  const error: unknown = await copyFiles(target(new S3Client({})), [file]).catch((e: unknown) => e);
  expect(isArchiveError(error, 'ARCHIVE_INTEGRITY')).toBe(true);
  expect((error as Error).message).toMatch(
    /S3's SHA-256 checksum .* differs from the bytes read back/,
  );
});

test('a composite (multipart) checksum is recorded, not compared with the whole-object digest', () => {
  const hex = createHash('sha256').update(BODY).digest('hex');
  expect(checksumDisagrees(`${base64Sha('x')}-3`, hex)).toBe(false);
  expect(checksumDisagrees(base64Sha(BODY), hex)).toBe(false);
  expect(checksumDisagrees(base64Sha('x'), hex)).toBe(true);
});
