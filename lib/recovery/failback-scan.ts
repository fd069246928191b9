import type { HeadObjectCommandOutput, S3Client } from '@aws-sdk/client-s3';
import type { FailbackPlan, ObjectFacts } from './failback-plan';
import { planFailback, sameContentByChecksum, sourceExclusion } from './failback-plan';
import { currentEntry, headVersion } from './failback-reads';
import { readSha256 } from './object-sha256';
import type { RestoreStateFile } from './state-file';
import { keyHistories } from './version-listing';

/**
 * The read-only half of `failback-files` for one bucket: list the secondary bucket's keys, keep
 * the current versions written there since `--since`, and plan each against the primary bucket.
 */

export type FailbackBucketKind = 'files' | 'archive';

/** A key with something to do in the primary: a copy, or a lock on an earlier copy. */
export interface FailbackChange {
  readonly key: string;
  readonly source: ObjectFacts;
  readonly head: HeadObjectCommandOutput;
  readonly plan: Extract<FailbackPlan, { action: 'copy' | 'lock' }>;
  /** The source's SHA-256 (base64): S3's stored checksum, or the bytes read once. */
  readonly sha256: () => Promise<string>;
}

export interface BucketScan {
  readonly kind: FailbackBucketKind;
  readonly sourceBucket: string;
  readonly bucket: string;
  readonly changes: FailbackChange[];
  /** Keys whose content the primary already holds (and locks at least as the source). */
  readonly there: string[];
  /** Versions S3 marks REPLICA: they came from the primary. */
  replicas: number;
  /** Keys whose current entry in the secondary is a delete marker since `--since`: not carried back. */
  readonly deleted: string[];
  readonly skipped: { key: string; reason: string }[];
  /** Keys the state file records as done. */
  resumed: number;
}

export interface ScanInput {
  readonly kind: FailbackBucketKind;
  readonly secondary: S3Client;
  readonly primary: S3Client;
  readonly sourceBucket: string;
  readonly bucket: string;
  /** Key prefix, whole path segments; '' for the whole bucket. */
  readonly prefix: string;
  /** `--since`, rounded down to its second (S3 keeps times to the second). */
  readonly since: Date;
  readonly now: Date;
  readonly state?: RestoreStateFile;
  readonly listPageSize?: number;
}

/** The state file's name of a key: the source bucket and the key. */
export function stateKey(sourceBucket: string, key: string): string {
  return `${sourceBucket}/${key}`;
}

/**
 * Whether `key` is under `prefix` by whole path segments (`tenants/acme` covers `tenants/acme`
 * and `tenants/acme/...`, never `tenants/acme-corp/...`); the empty prefix covers every key.
 */
export function coveredBy(prefix: string, key: string): boolean {
  return prefix === '' || prefix.endsWith('/') || key === prefix || key.startsWith(`${prefix}/`);
}

function memo<T>(compute: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= compute());
}

export async function scanBucket(input: ScanInput): Promise<BucketScan> {
  const { secondary, primary, sourceBucket, bucket, state } = input;
  const scan: BucketScan = {
    kind: input.kind,
    sourceBucket,
    bucket,
    changes: [],
    there: [],
    replicas: 0,
    deleted: [],
    skipped: [],
    resumed: 0,
  };
  const since = input.since.getTime();
  for await (const history of keyHistories(
    secondary,
    sourceBucket,
    input.prefix,
    input.listPageSize,
  )) {
    const { key } = history;
    if (!coveredBy(input.prefix, key)) continue;
    const current = history.entries.find((e) => e.isLatest);
    if (!current || current.lastModified.getTime() < since) continue;
    if (current.deleteMarker) {
      scan.deleted.push(key);
      continue;
    }
    if (state?.has(stateKey(sourceBucket, key))) {
      scan.resumed += 1;
      continue;
    }
    const { facts: source, head } = await headVersion(
      secondary,
      sourceBucket,
      key,
      current.versionId,
    );
    const excluded = sourceExclusion(source);
    if (excluded === 'replica') {
      scan.replicas += 1;
      continue;
    }
    if (excluded) {
      scan.skipped.push({ key, reason: excluded });
      continue;
    }
    const sha256 = memo(
      async () =>
        source.sha256 ?? (await readSha256(secondary, sourceBucket, key, source.versionId)).sha256,
    );
    const destination = await currentEntry(primary, bucket, key);
    let same: boolean | undefined;
    if (destination.kind === 'object') {
      const there = destination.facts;
      same = sameContentByChecksum(source, there);
      if (same === undefined) {
        const theirs =
          there.sha256 ?? (await readSha256(primary, bucket, key, there.versionId)).sha256;
        same = (await sha256()) === theirs;
      }
    }
    const plan = planFailback(source, destination, same, input.now);
    if (plan.action === 'there') scan.there.push(key);
    else if (plan.action === 'skip') scan.skipped.push({ key, reason: plan.reason });
    else scan.changes.push({ key, source, head, plan, sha256 });
  }
  return scan;
}
