import type { PlatformConfig } from '../config';
import { ResourceNames } from '../config';
import { ChangeGate } from './api-calls';
import { requireConfirmation } from './confirmation';
import { InputError, OperationFailedError, RecoveryError, RefusedError } from './errors';
import type { CopyTarget } from './failback-copy';
import { copyToPrimary, lockCopy } from './failback-copy';
import type { LockChange } from './failback-plan';
import { lockToApply } from './failback-plan';
import { bucketKeyArn, headVersion } from './failback-reads';
import type { BucketScan, FailbackBucketKind, FailbackChange } from './failback-scan';
import { scanBucket, stateKey } from './failback-scan';
import { applyRequested, parseTime, requirePast } from './input';
import type { RecoveryRuntime } from './runtime';
import { RestoreStateFile } from './state-file';
import { partitionOf, resolveEnvironment } from './target';

/** `--buckets` values. */
export const FAILBACK_BUCKETS = ['files', 'archive', 'both'] as const;

export interface FailbackFilesOptions {
  readonly env?: string;
  /** `files`, `archive` or `both`. */
  readonly buckets?: string;
  /** The failover time: versions written in the secondary at or after it are brought back. */
  readonly since?: string;
  /** Key prefix, whole path segments. @default every key */
  readonly prefix?: string;
  /** Copy (after confirmation). Without it: a dry run. */
  readonly apply?: boolean;
  readonly dryRun?: boolean;
  /** JSON-lines record of done keys, to resume an interrupted run. */
  readonly stateFile?: string;
  readonly confirm?: string;
  /** Entries per ListObjectVersions page (not a CLI flag; small in tests). @default 1000 */
  readonly listPageSize?: number;
  /** Larger objects are copied in parts (not a CLI flag). @default 5 GiB */
  readonly maxSingleCopyBytes?: number;
  /** Part size of a multipart copy (not a CLI flag). @default 256 MiB */
  readonly partSizeBytes?: number;
}

export interface FailbackBucketSummary {
  readonly kind: FailbackBucketKind;
  readonly source: string;
  readonly destination: string;
  /** The primary bucket's KMS key the copies are encrypted with. */
  readonly keyArn: string;
  readonly toCopy: number;
  readonly toLock: number;
  readonly copied: number;
  readonly locked: number;
  readonly there: number;
  readonly replicas: number;
  readonly resumed: number;
  readonly deletedInSecondary: readonly string[];
  readonly skipped: readonly { key: string; reason: string }[];
}

export interface FailbackFilesSummary {
  readonly applied: boolean;
  readonly since: string;
  readonly buckets: readonly FailbackBucketSummary[];
}

const DEFAULT_PART_BYTES = 256 * 1024 ** 2;

function lockText(lock: LockChange): string {
  const parts = [
    ...(lock.retention
      ? [`${lock.retention.mode} until ${lock.retention.until.toISOString()}`]
      : []),
    ...(lock.legalHold ? ['legal hold'] : []),
  ];
  return parts.join(' + ');
}

function parseBuckets(value: string | undefined): FailbackBucketKind[] {
  if (value === 'files' || value === 'archive') return [value];
  if (value === 'both') return ['files', 'archive'];
  throw new InputError(
    '--buckets',
    value ? `"${value}" is not one of ${FAILBACK_BUCKETS.join(', ')}` : 'is required',
    'pass --buckets files, --buckets archive or --buckets both',
  );
}

function isAccessDenied(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.$metadata?.httpStatusCode === 403 || e.name === 'AccessDenied';
}

/** A refusal of S3 while planning, explained (the archive buckets admit only their workers). */
function deniedWhilePlanning(kind: FailbackBucketKind, buckets: string, error: Error): Error {
  if (!isAccessDenied(error)) return error;
  const why =
    kind === 'archive'
      ? ': the archive buckets let only the lifecycle workers (and, to read, the archive auditor) read and write their objects'
      : '';
  return new RefusedError(
    `S3 denied reading ${buckets} (${error.name})${why}; nothing was copied`,
    'run it with the permissions in docs/runbooks/regional-failover.md#permissions',
  );
}

/**
 * `failback-files`: copy what the secondary region's file and archive buckets received while
 * that region was the writer (current versions written there since `--since`, not replicas) to
 * the primary region's buckets, encrypted with the primary's key and locked at least as long.
 */
export async function failbackFiles(
  config: PlatformConfig,
  options: FailbackFilesOptions,
  runtime: RecoveryRuntime,
): Promise<FailbackFilesSummary> {
  const [envName, env] = resolveEnvironment(config, options.env);
  const secondaryRegion = env.secondaryRegion;
  if (!secondaryRegion) {
    throw new InputError(
      '--env',
      `environment "${envName}" has one region (${env.primaryRegion}); nothing was written elsewhere to bring back`,
      'pass an environment with a secondaryRegion in the config, e.g. prod',
    );
  }
  const kinds = parseBuckets(options.buckets);
  const since = parseTime('--since', options.since);
  requirePast('--since', since, runtime.now());
  const prefix = options.prefix ?? '';
  if (prefix.startsWith('/')) {
    throw new InputError(
      '--prefix',
      `"${prefix}" starts with "/"; S3 keys do not`,
      'pass a key prefix such as tenants/acme (whole path segments), or leave it out for every key',
    );
  }
  const apply = applyRequested(options);
  const primaryRegion = env.primaryRegion;
  const primaryNames = new ResourceNames(config.app, envName, primaryRegion);
  const secondaryNames = primaryNames.inRegion(secondaryRegion);
  const bucketOf = (names: ResourceNames, kind: FailbackBucketKind) =>
    kind === 'files' ? names.filesBucket : names.archiveBucket;
  const sourceBuckets = kinds.map((k) => bucketOf(secondaryNames, k));
  const state = options.stateFile
    ? RestoreStateFile.open(
        options.stateFile,
        {
          command: 'failback-files',
          buckets: sourceBuckets.join(','),
          prefix,
          since: since.toISOString(),
        },
        apply,
        { name: 'failback', sameOptions: '--env, --buckets, --prefix and --since' },
      )
    : undefined;
  const out = runtime.terminal;
  const sinceSecond = new Date(Math.floor(since.getTime() / 1000) * 1000);
  out.out(
    `${apply ? 'Failing back' : 'Dry run: what failing back would copy'} from ${secondaryRegion} to ${primaryRegion}: current versions written in the secondary at or after ${sinceSecond.toISOString()}${prefix ? ` under ${prefix}` : ''}, not replicas.`,
  );
  if (state) {
    out.out(
      state.existed
        ? `State file ${state.path}: ${state.size} keys done, skipped.`
        : `State file ${state.path} does not exist${apply ? ': starting a new one' : ' (a dry run does not create it)'}; keys already in the primary are recognised by their content.`,
    );
  }

  // 1. Plan every bucket (read-only).
  const secondary = runtime.clients.s3(secondaryRegion);
  const primary = runtime.clients.s3(primaryRegion);
  const gate = new ChangeGate(out, !apply, true);
  const targets: { scan: BucketScan; target: CopyTarget }[] = [];
  for (const kind of kinds) {
    const sourceBucket = bucketOf(secondaryNames, kind);
    const bucket = bucketOf(primaryNames, kind);
    let keyArn: string;
    let scan: BucketScan;
    try {
      keyArn = await bucketKeyArn(primary, bucket, {
        partition: partitionOf(primaryRegion),
        region: primaryRegion,
        account: env.account,
        alias: primaryNames.keyAlias(kind),
      });
      scan = await scanBucket({
        kind,
        secondary,
        primary,
        sourceBucket,
        bucket,
        prefix,
        since: sinceSecond,
        now: runtime.now(),
        state,
        listPageSize: options.listPageSize,
      });
    } catch (error) {
      throw deniedWhilePlanning(kind, `s3://${sourceBucket} or s3://${bucket}`, error as Error);
    }
    targets.push({
      scan,
      target: {
        s3: primary,
        sourceS3: secondary,
        gate,
        sourceBucket,
        bucket,
        keyArn,
        maxSingleCopyBytes: options.maxSingleCopyBytes,
        partSizeBytes: options.partSizeBytes ?? DEFAULT_PART_BYTES,
      },
    });
    printPlan(out.out, scan, keyArn, primaryNames.keyAlias(kind), runtime.now());
  }

  // 2. Confirm, then copy and lock (or print the calls in a dry run).
  const total = targets.reduce((n, t) => n + t.scan.changes.length, 0);
  if (apply && total > 0) {
    await requireConfirmation(out, {
      expected: `${envName}/${primaryRegion}`,
      action: `copy or lock ${total} objects in ${targets.map((t) => `s3://${t.target.bucket}`).join(' and ')} (${primaryRegion}); nothing is deleted or overwritten in place`,
      supplied: options.confirm,
    });
  }
  let done = 0;
  const summaries: FailbackBucketSummary[] = [];
  for (const { scan, target } of targets) {
    let copied = 0;
    let locked = 0;
    for (const change of scan.changes) {
      let line: string | undefined;
      try {
        line = await applyChange(target, change, runtime.now());
      } catch (error) {
        if (error instanceof RecoveryError) throw error;
        throw new OperationFailedError(
          `stopped at s3://${target.bucket}/${change.key} after ${done} of ${total} changes: ${(error as Error).name}: ${(error as Error).message}`,
          state
            ? `rerun the same command with --state-file ${state.path} to resume (done keys are skipped; a copy not yet locked is locked)`
            : 'rerun the same command: objects already copied are recognised by their content, a copy not yet locked is locked (add --state-file <path> to skip them faster)',
        );
      }
      if (!apply || line === undefined) continue;
      done += 1;
      if (change.plan.action === 'copy') copied += 1;
      else locked += 1;
      out.out(`  [${done}/${total}] s3://${target.bucket}/${change.key}: ${line}`);
      state?.record(
        stateKey(scan.sourceBucket, change.key),
        change.plan.action,
        change.source.versionId,
      );
    }
    summaries.push({
      kind: scan.kind,
      source: scan.sourceBucket,
      destination: scan.bucket,
      keyArn: target.keyArn,
      toCopy: scan.changes.filter((c) => c.plan.action === 'copy').length,
      toLock: scan.changes.filter((c) => c.plan.action === 'lock').length,
      copied,
      locked,
      there: scan.there.length,
      replicas: scan.replicas,
      resumed: scan.resumed,
      deletedInSecondary: scan.deleted,
      skipped: scan.skipped,
    });
  }
  const copied = summaries.reduce((n, s) => n + s.copied, 0);
  const locked = summaries.reduce((n, s) => n + s.locked, 0);
  out.out(
    apply
      ? `Done: ${copied} copied, ${locked} locked${total === 0 ? ' (nothing to do)' : ''}.`
      : `Dry run: ${total} would be copied or locked. Nothing was changed; add --apply to do it.`,
  );
  return { applied: apply, since: sinceSecond.toISOString(), buckets: summaries };
}

/** Copy (and lock) or lock one key; the progress line, or undefined in a dry run. */
async function applyChange(
  target: CopyTarget,
  change: FailbackChange,
  now: Date,
): Promise<string | undefined> {
  if (change.plan.action === 'lock') {
    await lockCopy(target, change.key, change.plan.versionId, change.plan.lock);
    return target.gate.dryRun ? undefined : `locked ${lockText(change.plan.lock)} (already copied)`;
  }
  const copy = await copyToPrimary(target, {
    key: change.key,
    versionId: change.source.versionId,
    size: change.source.size,
    head: change.head,
    sha256: change.sha256,
  });
  if (!copy) return undefined;
  // The copy may hold the bucket's default retention already: lock only what it lacks.
  const { facts } = await headVersion(target.s3, target.bucket, change.key, copy.versionId);
  const lock = lockToApply(change.source, facts, now);
  if (lock) await lockCopy(target, change.key, copy.versionId, lock);
  return (
    `copied as version ${copy.versionId}${copy.parts > 1 ? ` in ${copy.parts} parts` : ''}, SHA-256 ${copy.sha256} verified` +
    (lock ? `, locked ${lockText(lock)}` : '')
  );
}

function printPlan(
  print: (line: string) => void,
  scan: BucketScan,
  keyArn: string,
  alias: string,
  now: Date,
): void {
  print(
    `s3://${scan.sourceBucket} -> s3://${scan.bucket} (SSE-KMS ${keyArn}, the bucket's default key; the config names ${alias}):`,
  );
  for (const c of scan.changes) {
    if (c.plan.action === 'copy') {
      const lock = lockToApply(c.source, { legalHold: false }, now);
      print(
        `  copy   ${c.key} (${c.source.size} bytes, ${c.plan.reason}${lock ? `; then lock ${lockText(lock)}` : ''})`,
      );
    } else {
      print(
        `  lock   ${c.key} (in the primary with the same content; needs ${lockText(c.plan.lock)})`,
      );
    }
  }
  for (const key of scan.there) print(`  there  ${key} (the primary holds the same content)`);
  for (const key of scan.deleted) print(`  deleted in the secondary, not carried back: ${key}`);
  for (const s of scan.skipped) print(`  skip   ${s.key}: ${s.reason}`);
  const copies = scan.changes.filter((c) => c.plan.action === 'copy').length;
  print(
    `Plan for s3://${scan.bucket}: ${copies} to copy, ${scan.changes.length - copies} to lock, ${scan.there.length} already there, ${scan.replicas} replicas from the primary (not copied), ${scan.deleted.length} deleted in the secondary (not carried back), ${scan.skipped.length} skipped` +
      (scan.resumed > 0 ? `, ${scan.resumed} done per the state file` : '') +
      '.',
  );
}
