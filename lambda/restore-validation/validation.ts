import type { BackupClient, DescribeRestoreJobCommandOutput } from '@aws-sdk/client-backup';
import {
  DescribeRestoreJobCommand,
  PutRestoreValidationResultCommand,
} from '@aws-sdk/client-backup';
import type { RDSClient } from '@aws-sdk/client-rds';
import type { S3Client } from '@aws-sdk/client-s3';
import {
  addValidationInstance,
  checkRestoredCluster,
  describeCluster,
  ownInstance,
  removeValidationInstance,
  writerOf,
} from './aurora-check';
import { checkRestoredBucket } from './bucket-check';
import type { CheckResult } from './check-result';
import { shortMessage } from './check-result';
import type { DatabaseQuery } from './database-query';
import type { ValidationSettings } from './settings';
import type { Trigger } from './trigger';
import { instanceIdFor } from './trigger';

export interface ValidationDeps {
  readonly backup: BackupClient;
  readonly rds: RDSClient;
  readonly s3: S3Client;
  readonly query: DatabaseQuery;
  readonly settings: Pick<
    ValidationSettings,
    'restoreTestingPlanArn' | 'instanceClass' | 'database' | 'user'
  >;
  readonly log: (message: string, details?: Record<string, unknown>) => void;
}

/** What the function did, for its log and its metric. */
export type Outcome =
  | { readonly action: 'ignored'; readonly reason: string }
  | {
      readonly action: 'instance-requested';
      readonly restoreJobId: string;
      readonly instanceId: string;
    }
  | {
      readonly action: 'reported';
      readonly restoreJobId: string;
      readonly resourceType: string;
      readonly status: 'SUCCESSFUL' | 'FAILED';
      readonly message: string;
    };

type RestoreJob = DescribeRestoreJobCommandOutput;

async function report(
  deps: ValidationDeps,
  job: RestoreJob,
  result: CheckResult,
): Promise<Outcome> {
  const status = result.ok ? 'SUCCESSFUL' : 'FAILED';
  const message = shortMessage(result.message);
  await deps.backup.send(
    new PutRestoreValidationResultCommand({
      RestoreJobId: job.RestoreJobId,
      ValidationStatus: status,
      ValidationStatusMessage: message,
    }),
  );
  deps.log('validation reported', { restoreJobId: job.RestoreJobId, status, message });
  return {
    action: 'reported',
    restoreJobId: job.RestoreJobId ?? '',
    resourceType: job.ResourceType ?? '',
    status,
    message,
  };
}

/** A check that throws is a failed validation, with the error as its message. */
async function guarded(check: () => Promise<CheckResult>): Promise<CheckResult> {
  try {
    return await check();
  } catch (error) {
    return { ok: false, message: `check failed: ${(error as Error).message}` };
  }
}

/** Validate the resource a completed restore-testing job created, or start the Aurora check. */
export async function onRestoreJob(deps: ValidationDeps, restoreJobId: string): Promise<Outcome> {
  const job = await deps.backup.send(new DescribeRestoreJobCommand({ RestoreJobId: restoreJobId }));
  if (job.CreatedBy?.RestoreTestingPlanArn !== deps.settings.restoreTestingPlanArn) {
    return {
      action: 'ignored',
      reason: `restore job ${restoreJobId} is not from this restore testing plan`,
    };
  }
  if (job.Status !== 'COMPLETED') {
    return {
      action: 'ignored',
      reason: `restore job ${restoreJobId} is ${String(job.Status)}, not COMPLETED`,
    };
  }
  const created = job.CreatedResourceArn;
  if (!created)
    return report(deps, job, { ok: false, message: 'the restore job names no created resource' });

  if (job.ResourceType === 'S3') {
    return report(deps, job, await guarded(() => checkRestoredBucket(deps.s3, created)));
  }
  if (job.ResourceType === 'Aurora') {
    let cluster;
    try {
      cluster = await describeCluster(deps.rds, created);
    } catch (error) {
      return report(deps, job, { ok: false, message: (error as Error).message });
    }
    if (writerOf(cluster)) {
      return report(deps, job, await checkRestoredCluster(cluster, deps.query, deps.settings));
    }
    if (cluster.Status !== 'available') {
      return report(deps, job, await checkRestoredCluster(cluster, deps.query, deps.settings));
    }
    const instanceId = instanceIdFor(restoreJobId);
    try {
      await addValidationInstance(
        deps.rds,
        cluster,
        instanceId,
        deps.settings.instanceClass,
        restoreJobId,
      );
    } catch (error) {
      return report(deps, job, {
        ok: false,
        message: `could not add an instance to restored cluster ${String(cluster.DBClusterIdentifier)}: ${(error as Error).message}`,
      });
    }
    await deps.backup.send(
      new PutRestoreValidationResultCommand({
        RestoreJobId: restoreJobId,
        ValidationStatus: 'VALIDATING',
        ValidationStatusMessage: `adding instance ${instanceId} to query the restored cluster`,
      }),
    );
    deps.log('validation instance requested', { restoreJobId, instanceId });
    return { action: 'instance-requested', restoreJobId, instanceId };
  }
  return report(deps, job, {
    ok: false,
    message: `no validation for resource type ${String(job.ResourceType)}`,
  });
}

/** The instance added to a restored cluster is up: query, report, then remove the instance. */
export async function onInstanceCreated(
  deps: ValidationDeps,
  instanceId: string,
): Promise<Outcome> {
  const own = await ownInstance(deps.rds, instanceId);
  if (!own)
    return { action: 'ignored', reason: `instance ${instanceId} was not added by this function` };
  const job = await deps.backup.send(
    new DescribeRestoreJobCommand({ RestoreJobId: own.restoreJobId }),
  );
  if (job.CreatedBy?.RestoreTestingPlanArn !== deps.settings.restoreTestingPlanArn) {
    return {
      action: 'ignored',
      reason: `restore job ${own.restoreJobId} is not from this restore testing plan`,
    };
  }
  const result = await guarded(async () =>
    checkRestoredCluster(await describeCluster(deps.rds, own.clusterId), deps.query, deps.settings),
  );
  const outcome = await report(deps, job, result);
  await removeValidationInstance(deps.rds, instanceId);
  return outcome;
}

/** Dispatch one trigger. */
export async function validate(deps: ValidationDeps, trigger: Trigger): Promise<Outcome> {
  if (trigger.kind === 'restore-job') return onRestoreJob(deps, trigger.restoreJobId);
  if (trigger.kind === 'instance-created') return onInstanceCreated(deps, trigger.instanceId);
  return { action: 'ignored', reason: trigger.reason };
}
