import type { S3Client } from '@aws-sdk/client-s3';
import { CopyObjectCommand, DeleteObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import type { PlatformConfig } from '../config';
import { ChangeGate } from './api-calls';
import { requireConfirmation } from './confirmation';
import { InputError, OperationFailedError } from './errors';
import { applyRequested, parseTime, requirePast } from './input';
import type { RecoveryRuntime } from './runtime';
import { RestoreStateFile } from './state-file';
import { resolveTarget } from './target';
import { keyHistories } from './version-listing';
import type { KeyPlan } from './version-plan';
import { RESTORED_FROM, planKey } from './version-plan';

export interface RestoreFilesOptions {
  readonly env?: string;
  readonly region?: string;
  readonly prefix?: string;
  readonly toTime?: string;
  /** Make the changes (after confirmation). Without it: a dry run. */
  readonly apply?: boolean;
  /** Explicit dry run (the default); contradicts --apply. */
  readonly dryRun?: boolean;
  /** JSON-lines record of done keys, to resume an interrupted run. */
  readonly stateFile?: string;
  /** Skip keys created after T instead of hiding them with a delete marker. */
  readonly keepNewKeys?: boolean;
  readonly confirm?: string;
  /** Entries per ListObjectVersions page (not a CLI flag; small in tests). @default 1000 */
  readonly listPageSize?: number;
}

export interface RestoreFilesSummary {
  readonly bucket: string;
  readonly applied: boolean;
  /** Keys that needed a change (in a dry run: would be restored). */
  readonly toRestore: number;
  /** Keys put back to their state at T: copied from their version at T, or hidden by a delete marker. */
  readonly restored: number;
  readonly copied: number;
  readonly deleteMarkers: number;
  readonly unchanged: number;
  readonly skipped: number;
  readonly skippedKeys: readonly { key: string; reason: string }[];
}

interface Change {
  readonly key: string;
  readonly plan: Extract<KeyPlan, { action: 'copy' | 'delete-marker' }>;
}

/**
 * Whether `key` is under `prefix` by whole path segments: `tenants/acme` covers the key
 * `tenants/acme` and everything under `tenants/acme/`, never `tenants/acme-corp/...`.
 */
export function withinSegments(prefix: string, key: string): boolean {
  return prefix.endsWith('/') || key === prefix || key.startsWith(`${prefix}/`);
}

/** `restore-files`: ransomware roll-back of the file bucket under a prefix to time T. */
export async function restoreFiles(
  config: PlatformConfig,
  options: RestoreFilesOptions,
  runtime: RecoveryRuntime,
): Promise<RestoreFilesSummary> {
  const target = resolveTarget(config, options.env, options.region);
  const prefix = options.prefix ?? '';
  if (prefix === '' || prefix.startsWith('/')) {
    throw new InputError(
      '--prefix',
      prefix === '' ? 'is required' : `"${prefix}" starts with "/"; S3 keys do not`,
      'pass the key prefix to roll back, e.g. --prefix tenants/acme/ (or --prefix tenants/ for every tenant)',
    );
  }
  const time = parseTime('--to-time', options.toTime);
  requirePast('--to-time', time, runtime.now());
  const apply = applyRequested(options);
  const bucket = target.names.filesBucket;
  const state = options.stateFile
    ? RestoreStateFile.open(
        options.stateFile,
        { bucket, prefix, toTime: time.toISOString() },
        apply,
      )
    : undefined;
  const s3 = runtime.clients.s3(target.region);
  const out = runtime.terminal;
  out.out(
    `${apply ? 'Rolling back' : 'Dry run: what rolling back would change in'} s3://${bucket}/${prefix} to its state at ${time.toISOString()}` +
      (state && state.size > 0 ? ` (resuming: ${state.size} keys done per ${state.path})` : ''),
  );

  // 1. Plan every key (read-only).
  const changes: Change[] = [];
  let unchanged = 0;
  const skippedKeys: { key: string; reason: string }[] = [];
  let oldest: Date | undefined;
  for await (const history of keyHistories(s3, bucket, prefix, options.listPageSize)) {
    if (!withinSegments(prefix, history.key)) continue;
    for (const e of history.entries) {
      if (!oldest || e.lastModified.getTime() < oldest.getTime()) oldest = e.lastModified;
    }
    if (state?.has(history.key)) {
      unchanged += 1;
      continue;
    }
    let plan = planKey(history, time, { keepNewKeys: options.keepNewKeys });
    if (
      plan.action === 'copy' &&
      plan.current &&
      (await isCopyOf(s3, bucket, history.key, plan.current.versionId, plan.from.versionId))
    ) {
      plan = {
        action: 'unchanged',
        reason: 'the current version was restored from the version at T',
      };
    }
    if (plan.action === 'unchanged') unchanged += 1;
    else if (plan.action === 'skip') skippedKeys.push({ key: history.key, reason: plan.reason });
    else changes.push({ key: history.key, plan });
  }
  if (oldest && time.getTime() < oldest.getTime()) {
    // Nothing under the prefix existed at T: "rolling back" would hide every key.
    throw new InputError(
      '--to-time',
      `${time.toISOString()} is before the oldest version under s3://${bucket}/${prefix} (${oldest.toISOString()}); nothing was changed`,
      'pick the last time the files were good, after the oldest version (check the time zone offset)',
    );
  }
  const copies = changes.filter((c) => c.plan.action === 'copy').length;
  const markers = changes.length - copies;
  out.out(
    `Plan: ${changes.length} to restore (${copies} by copying the version at T, ${markers} by a delete marker as they were absent at T), ${unchanged} unchanged, ${skippedKeys.length} skipped.`,
  );
  for (const s of skippedKeys) out.out(`  skip ${s.key}: ${s.reason}`);

  // 2. Confirm, then change (or print the calls in a dry run).
  const gate = new ChangeGate(out, !apply, true);
  if (apply && changes.length > 0) {
    await requireConfirmation(out, {
      expected: `${target.envName}/${bucket}`,
      action: `restore ${changes.length} keys under s3://${bucket}/${prefix} to their state at ${time.toISOString()} (no version is deleted)`,
      supplied: options.confirm,
    });
  }
  let copied = 0;
  let deleteMarkers = 0;
  for (const [index, change] of changes.entries()) {
    try {
      if (change.plan.action === 'copy') {
        await copyVersion(s3, gate, bucket, change.key, change.plan.from.versionId);
        if (apply) copied += 1;
      } else {
        const params = { Bucket: bucket, Key: change.key };
        await gate.run('s3:DeleteObject', params, () => s3.send(new DeleteObjectCommand(params)));
        if (apply) deleteMarkers += 1;
      }
    } catch (error) {
      throw new OperationFailedError(
        `stopped at ${change.key} after ${copied + deleteMarkers} of ${changes.length} changes: ${(error as Error).message}`,
        state
          ? `rerun the same command with --state-file ${state.path} to resume (done keys are skipped)`
          : 'rerun the same command: keys already restored are recognised as unchanged (add --state-file <path> to skip them faster)',
      );
    }
    if (apply) {
      const detail =
        change.plan.action === 'copy'
          ? `copied from version ${change.plan.from.versionId}`
          : `delete marker put (${change.plan.reason})`;
      out.out(`  [${index + 1}/${changes.length}] ${change.key}: ${detail}`);
      state?.record(
        change.key,
        change.plan.action,
        change.plan.action === 'copy' ? change.plan.from.versionId : undefined,
      );
    }
  }

  const summary: RestoreFilesSummary = {
    bucket,
    applied: apply,
    toRestore: changes.length,
    restored: copied + deleteMarkers,
    copied,
    deleteMarkers,
    unchanged,
    skipped: skippedKeys.length,
    skippedKeys,
  };
  out.out(
    apply
      ? `Done: ${summary.restored} restored (${copied} copied from their version at T, ${deleteMarkers} hidden by a delete marker), ${unchanged} unchanged, ${summary.skipped} skipped.`
      : `Dry run: ${changes.length} would be restored, ${unchanged} unchanged, ${summary.skipped} skipped. Nothing was changed; add --apply to do it.`,
  );
  return summary;
}

/** True when the current version was made by a previous run from `fromVersionId`. */
async function isCopyOf(
  s3: S3Client,
  bucket: string,
  key: string,
  currentVersionId: string,
  fromVersionId: string,
): Promise<boolean> {
  const head = await s3.send(
    new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: currentVersionId }),
  );
  return head.Metadata?.[RESTORED_FROM] === fromVersionId;
}

/**
 * Copy a version onto its own key, making it current again. Its metadata and headers are kept,
 * plus `restored-from-version` so that a rerun sees the key as done.
 */
async function copyVersion(
  s3: S3Client,
  gate: ChangeGate,
  bucket: string,
  key: string,
  versionId: string,
): Promise<void> {
  const head = await s3.send(
    new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }),
  );
  const source = `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}?versionId=${encodeURIComponent(versionId)}`;
  const params = {
    Bucket: bucket,
    Key: key,
    CopySource: source,
    MetadataDirective: 'REPLACE' as const,
    TaggingDirective: 'COPY' as const,
    Metadata: { ...(head.Metadata ?? {}), [RESTORED_FROM]: versionId },
    ContentType: head.ContentType,
    ContentEncoding: head.ContentEncoding,
    ContentDisposition: head.ContentDisposition,
    ContentLanguage: head.ContentLanguage,
    CacheControl: head.CacheControl,
  };
  await gate.run('s3:CopyObject', params, () => s3.send(new CopyObjectCommand(params)));
}
