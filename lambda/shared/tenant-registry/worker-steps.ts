import type { Logger } from '@aws-lambda-powertools/logger';
import type { TenantRegistry } from './tenant-registry';
import { JobRefused } from '../lifecycle/job-batch';
import { refuse } from '../lifecycle/refusal';
import type { Decision, LifecycleJob } from '../lifecycle/rules';
import { checkJob } from '../lifecycle/rules';
import type { TenantRecord } from '../lifecycle/tenant';

export interface WorkerBase {
  readonly registry: TenantRegistry;
  readonly clock: () => Date;
  readonly logger: Logger;
}

/** Reads the tenant and checks the job against its state: run, skip a duplicate, or refuse. */
export async function admitJob(
  deps: WorkerBase,
  job: LifecycleJob,
): Promise<{ run: true; record: TenantRecord } | { run: false }> {
  const record = await deps.registry.get(job.tenantId);
  if (!record)
    throw new JobRefused(refuse('UNKNOWN_TENANT', `tenant ${job.tenantId} is not in the registry`));
  const check = checkJob(record, job, deps.clock());
  if (!check.ok) throw new JobRefused(check);
  if (check.action === 'already-done') return { run: false };
  if (record.version !== job.version) {
    deps.logger.info(
      'job version differs from the registry (re-claimed); the engine is idempotent',
      {
        tenantId: job.tenantId,
        jobVersion: job.version,
        registryVersion: record.version,
      },
    );
  }
  return { run: true, record };
}

/**
 * After the engine finished: re-read, decide the completing transition and write it, retrying
 * when a sweep re-claim bumped the version meanwhile. A finished duplicate counts as done.
 */
export async function completeJob(
  deps: WorkerBase,
  job: LifecycleJob,
  decide: (record: TenantRecord, now: Date) => Decision,
): Promise<'completed' | 'already-done'> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    const record = await deps.registry.get(job.tenantId);
    if (!record)
      throw new JobRefused(
        refuse('UNKNOWN_TENANT', `tenant ${job.tenantId} vanished from the registry`),
      );
    const now = deps.clock();
    const check = checkJob(record, job, now);
    if (check.ok && check.action === 'already-done') return 'already-done';
    const decision = decide(record, now);
    if (!decision.ok) throw new JobRefused(decision);
    if ((await deps.registry.apply(decision)) === 'applied') {
      deps.logger.info('lifecycle transition', {
        tenantId: job.tenantId,
        event: decision.event,
        from: decision.from,
        to: decision.to,
        version: decision.version,
        archiveId: job.archiveId,
      });
      return 'completed';
    }
  }
  throw new Error(
    `tenant ${job.tenantId} kept changing while its ${job.type} completed; the job will be retried`,
  );
}
