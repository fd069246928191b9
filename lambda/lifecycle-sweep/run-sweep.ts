import type { Logger } from '@aws-lambda-powertools/logger';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { jobBody } from '../shared/lifecycle/job-message';
import type { LifecyclePolicy } from '../shared/lifecycle/policy';
import { claimDue } from '../shared/lifecycle/rules';
import type { LifecycleState } from '../shared/lifecycle/states';
import { FAILED_STATES, SWEPT_STATES } from '../shared/lifecycle/states';
import type { TenantRecord } from '../shared/lifecycle/tenant';
import type { TenantRegistry } from '../shared/tenant-registry/tenant-registry';
import type { WriterCheck } from '../shared/lifecycle/writer-region';

export interface SweepDeps {
  readonly registry: TenantRegistry;
  readonly sqs: SQSClient;
  /** Queue of each job type: archive jobs and purge jobs have their own workers. */
  readonly queueUrls: Readonly<Record<'archive' | 'purge', string>>;
  readonly policy: LifecyclePolicy;
  readonly clock: () => Date;
  readonly logger: Logger;
  /**
   * Whether this region's cluster is the database writer: the sweep claims only there (see
   * writer-region.ts); in the other region it claims nothing and says so.
   */
  readonly writer: WriterCheck;
  /** Items per index query page. @default 100 */
  readonly pageSize?: number;
  /** Claims in flight at once within a page. @default 4 */
  readonly concurrency?: number;
}

export interface SweepReport {
  readonly startedAt: string;
  readonly durationMs: number;
  /** Whether this region's cluster was the writer: false means the sweep claimed nothing. */
  readonly writer: boolean;
  /** What the writer check found. */
  readonly writerDetail: string;
  /** Index query pages read (all states). */
  readonly queryPages: number;
  /** Items DynamoDB read for those pages. */
  readonly itemsRead: number;
  /** Tenants claimed and enqueued by this sweep. */
  readonly claimed: number;
  /** Tenants another writer (another sweep, an admin) changed first: skipped. */
  readonly conflicts: number;
  /** Index items whose step was not due after all (stale index entry): skipped. */
  readonly notDue: number;
  /** Claims or sends that failed (a claimed but unsent job is re-sent after its lease). */
  readonly errors: number;
  /** Tenants this sweep moved to ARCHIVE_FAILED / PURGE_FAILED (claimed `maxClaims` times). */
  readonly failed: number;
  /** Tenants in a failed state after this sweep: each needs a human (alarmed while above 0). */
  readonly inFailedState: number;
  readonly claimedByState: Readonly<Partial<Record<LifecycleState, number>>>;
}

type Outcome = 'claimed' | 'conflict' | 'not-due' | 'error' | 'failed';

async function claimOne(deps: SweepDeps, record: TenantRecord, now: Date): Promise<Outcome> {
  const { logger } = deps;
  const claim = claimDue(record, now, deps.policy);
  if (!claim.ok) {
    logger.info('index entry not due; skipped', { tenantId: record.tenantId, code: claim.code });
    return 'not-due';
  }
  try {
    if ((await deps.registry.apply(claim)) === 'conflict') {
      logger.info('claim lost to another writer; skipped', { tenantId: record.tenantId });
      return 'conflict';
    }
  } catch (error) {
    logger.error('claim failed', {
      tenantId: record.tenantId,
      errorName: (error as Error).name,
      errorMessage: (error as Error).message,
    });
    return 'error';
  }
  if ('failed' in claim) {
    logger.error('tenant moved to a failed state: claimed too many times without finishing', {
      tenantId: record.tenantId,
      from: claim.from,
      to: claim.to,
      claimCount: record.claimCount,
      archiveId: record.archiveId,
    });
    return 'failed';
  }
  try {
    await deps.sqs.send(
      new SendMessageCommand({
        QueueUrl: deps.queueUrls[claim.job.type],
        MessageBody: jobBody(claim.job),
      }),
    );
  } catch (error) {
    logger.error('job not sent; it is re-sent when the lease expires', {
      tenantId: record.tenantId,
      leaseUntil: claim.next.dueAt,
      errorName: (error as Error).name,
    });
    return 'error';
  }
  logger.info('tenant claimed', {
    tenantId: record.tenantId,
    event: claim.event,
    from: claim.from,
    to: claim.to,
    version: claim.version,
    archiveId: claim.job.archiveId,
  });
  return 'claimed';
}

/**
 * The daily sweep: for each swept state, queries the `state-due` index for `dueAt <= now`
 * (never a scan), claims each due tenant with a version-conditioned transition and sends the
 * winner's job; a step claimed `maxClaims` times is given up instead (failed state, no job).
 * Then it counts the tenants in a failed state (the same index). Its work follows the number of
 * due and failed tenants, not the registry's size. It does all this only when this region's
 * cluster is the database writer; elsewhere it reads and claims nothing (`writer: false`).
 */
export async function runSweep(deps: SweepDeps): Promise<SweepReport> {
  const started = Date.now();
  const now = deps.clock();
  const role = await deps.writer();
  if (!role.writer) {
    deps.logger.info(
      "region is not the database writer: claims nothing (the writer region's sweep claims)",
      { writerDetail: role.detail },
    );
    return {
      startedAt: now.toISOString(),
      durationMs: Date.now() - started,
      writer: false,
      writerDetail: role.detail,
      queryPages: 0,
      itemsRead: 0,
      claimed: 0,
      conflicts: 0,
      notDue: 0,
      errors: 0,
      failed: 0,
      inFailedState: 0,
      claimedByState: {},
    };
  }
  const concurrency = deps.concurrency ?? 4;
  const counts: Record<Outcome, number> = {
    claimed: 0,
    conflict: 0,
    'not-due': 0,
    error: 0,
    failed: 0,
  };
  const claimedByState: Partial<Record<LifecycleState, number>> = {};
  let queryPages = 0;
  let itemsRead = 0;
  for (const state of SWEPT_STATES) {
    for await (const page of deps.registry.dueTenants(state, now, deps.pageSize ?? 100)) {
      queryPages += 1;
      itemsRead += page.itemsRead;
      for (let i = 0; i < page.records.length; i += concurrency) {
        const outcomes = await Promise.all(
          page.records.slice(i, i + concurrency).map((r) => claimOne(deps, r, now)),
        );
        for (const outcome of outcomes) counts[outcome] += 1;
        const won = outcomes.filter((o) => o === 'claimed').length;
        if (won) claimedByState[state] = (claimedByState[state] ?? 0) + won;
      }
    }
  }
  let inFailedState = 0;
  for (const state of FAILED_STATES) {
    for await (const page of deps.registry.dueTenants(state, now, deps.pageSize ?? 100)) {
      queryPages += 1;
      itemsRead += page.itemsRead;
      inFailedState += page.records.length;
    }
  }
  return {
    startedAt: now.toISOString(),
    durationMs: Date.now() - started,
    writer: true,
    writerDetail: role.detail,
    queryPages,
    itemsRead,
    claimed: counts.claimed,
    conflicts: counts.conflict,
    notDue: counts['not-due'],
    errors: counts.error,
    failed: counts.failed,
    inFailedState,
    claimedByState,
  };
}
