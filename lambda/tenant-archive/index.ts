import { Logger } from '@aws-lambda-powertools/logger';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { ArchiveBudget } from '../shared/archive/archive-tenant';
import { archiveTenant } from '../shared/archive/archive-tenant';
import { createArchiveDeps } from '../shared/archive/deps';
import { readEnvironment } from '../shared/contract';
import { runJobBatch } from '../shared/lifecycle/job-batch';
import { inTenant, startInvocation } from '../shared/observability/log-context';
import { policyOf } from '../shared/lifecycle/settings';
import { postgresWriter } from '../shared/lifecycle/writer-region';
import { createDocumentClient } from '../shared/tenant-registry/document-client';
import { TenantRegistry } from '../shared/tenant-registry/tenant-registry';
import { processArchiveJob } from './archive-job';
import { contract } from './contract';
import { engineSettings } from './engine-settings';

const logger = new Logger({ serviceName: contract.name });
const settings = readEnvironment(contract, process.env);
const engine = createArchiveDeps(engineSettings(settings), { logger });

const deps = {
  registry: new TenantRegistry(createDocumentClient(), {
    registry: settings.TABLE_NAME,
    audit: settings.AUDIT_TABLE_NAME,
  }),
  policy: policyOf({ archiveRetentionDays: settings.ARCHIVE_RETENTION_DAYS }),
  clock: (): Date => new Date(),
  logger,
  archive: (req: Parameters<typeof archiveTenant>[1], budget?: ArchiveBudget) =>
    archiveTenant(engine, req, budget),
  // The region's cluster endpoint, on the worker's own connection: a read-only cluster (this
  // region is the secondary) makes the worker give the job back instead of failing on writes.
  writer: async () => {
    const client = await engine.db.connect();
    try {
      return await postgresWriter(client, settings.DB_HOST);
    } finally {
      client.release();
    }
  },
};

const sqs = new SQSClient({ region: settings.AWS_REGION });
// A checkpointed job continues in a fresh message: the receive count starts again.
const continueLater = async (body: string): Promise<void> => {
  await sqs.send(
    new SendMessageCommand({ QueueUrl: settings.ARCHIVE_JOBS_QUEUE_URL, MessageBody: body }),
  );
};

// Every line carries the request id; a job's lines its tenant id, the next job's not.
export const handler = (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
  startInvocation(logger, context);
  return runJobBatch(
    event,
    'archive',
    logger,
    (job) =>
      inTenant(logger, job.tenantId, () =>
        processArchiveJob(
          deps,
          job,
          context ? { remainingMs: () => context.getRemainingTimeInMillis() } : undefined,
        ),
      ),
    { continueLater },
  );
};
