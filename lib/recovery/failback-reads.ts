import type { HeadObjectCommandOutput, S3Client } from '@aws-sdk/client-s3';
import {
  GetBucketEncryptionCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
} from '@aws-sdk/client-s3';
import { RefusedError } from './errors';
import type { Destination, LockMode, ObjectFacts } from './failback-plan';
import { fullObjectSha256 } from './failback-plan';

/** The read-only S3 calls of `failback-files`: heads, the primary's entry, the bucket's key. */

/** What the plan needs of a HeadObject answer. */
export function factsOf(versionId: string, head: HeadObjectCommandOutput): ObjectFacts {
  const mode = head.ObjectLockMode as LockMode | undefined;
  const until = head.ObjectLockRetainUntilDate;
  return {
    versionId: head.VersionId ?? versionId,
    lastModified: head.LastModified ?? new Date(0),
    size: head.ContentLength ?? 0,
    sha256: fullObjectSha256(head.ChecksumSHA256, head.ChecksumType, head.ETag),
    ...(mode && until ? { retention: { mode, until: new Date(until) } } : {}),
    legalHold: head.ObjectLockLegalHoldStatus === 'ON',
    ...(head.ReplicationStatus ? { replicationStatus: head.ReplicationStatus } : {}),
    ...(head.StorageClass ? { storageClass: head.StorageClass } : {}),
  };
}

/** HeadObject of one exact version, with its checksums. */
export async function headVersion(
  s3: S3Client,
  bucket: string,
  key: string,
  versionId: string,
): Promise<{ facts: ObjectFacts; head: HeadObjectCommandOutput }> {
  const head = await s3.send(
    new HeadObjectCommand({
      Bucket: bucket,
      Key: key,
      VersionId: versionId,
      ChecksumMode: 'ENABLED',
    }),
  );
  return { facts: factsOf(versionId, head), head };
}

/**
 * The current entry of `key` in `bucket`: absent, a delete marker (with its time) or a version.
 * ListObjectVersions with the key as prefix lists that key's entries first, newest first (a
 * longer key that starts with it sorts after it), so the first page holds the current one.
 */
export async function currentEntry(
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<Destination> {
  const page = await s3.send(
    new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key, MaxKeys: 10 }),
  );
  const version = (page.Versions ?? []).find((v) => v.Key === key && v.IsLatest);
  if (version) {
    return {
      kind: 'object',
      facts: (await headVersion(s3, bucket, key, version.VersionId ?? 'null')).facts,
    };
  }
  const marker = (page.DeleteMarkers ?? []).find((m) => m.Key === key && m.IsLatest);
  if (marker) return { kind: 'deleted', lastModified: marker.LastModified ?? new Date(0) };
  return { kind: 'absent' };
}

/**
 * The KMS key ARN the primary bucket encrypts with by default: the key its policy's
 * `DenyOtherKeys` names, so a copy that names it (SSE-KMS with that key id) is accepted. The
 * policy compares the header with the key's ARN, so the key's alias would be refused; the alias is
 * shown for the operator to check. Refused unless it is a KMS key of the region and account.
 */
export async function bucketKeyArn(
  s3: S3Client,
  bucket: string,
  expected: {
    readonly partition: string;
    readonly region: string;
    readonly account: string;
    readonly alias: string;
  },
): Promise<string> {
  const out = await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
  const rule =
    out.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
  const keyId = rule?.KMSMasterKeyID ?? '';
  const pattern = new RegExp(
    `^arn:${expected.partition}:kms:${expected.region}:${expected.account}:key/[A-Za-z0-9-]+$`,
  );
  if (rule?.SSEAlgorithm !== 'aws:kms' || !pattern.test(keyId)) {
    throw new RefusedError(
      `s3://${bucket} does not encrypt with a KMS key of ${expected.region} in account ${expected.account} by default (found ${rule?.SSEAlgorithm ?? 'no default encryption'}${keyId ? ` with ${keyId}` : ''}); nothing was copied`,
      `the bucket should encrypt with ${expected.alias}: deploy the primary region's stack of the bucket, then rerun`,
    );
  }
  return keyId;
}
