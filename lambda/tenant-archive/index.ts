import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { ArchiveBudget } from '../shared/archive/archive-tenant';
import { archiveTenant } from '../shared/archive/archive-tenant';
import { createArchiveDeps } from '../shared/archive/deps';
import { runJobBatch } from '../shared/lifecycle/job-batch';
import { readPolicy, SettingsReader } from '../shared/lifecycle/settings';
import { createDocumentClient } from '../shared/tenant-registry/document-client';
import { readRegistryTables } from '../shared/tenant-registry/registry-settings';
import { TenantRegistry } from '../shared/tenant-registry/tenant-registry';
import { processArchiveJob } from './archive-job';

const logger = new Logger({ serviceName: 'tenant-archive' });
const read = new SettingsReader(process.env, 'tenant-archive');
const tables = readRegistryTables(read);
const policy = readPolicy(read, { archiveRetentionDays: true });
read.done();
// DB_HOST, DB_PORT, DB_NAME, DB_USER, FILES_BUCKET, FILES_REPLICA_BUCKET, FILES_REPLICA_REGION,
// ARCHIVE_BUCKET: validated by the engine's factory (throws naming every problem).
const engine = createArchiveDeps(process.env, { logger });
const clock = (): Date => new Date();

const deps = {
  registry: new TenantRegistry(createDocumentClient(), tables),
  policy,
  clock,
  logger,
  archive: (req: Parameters<typeof archiveTenant>[1], budget?: ArchiveBudget) =>
    archiveTenant(engine, req, budget),
};

export const handler = (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> =>
  runJobBatch(event, 'archive', logger, (job) =>
    processArchiveJob(
      deps,
      job,
      context ? { remainingMs: () => context.getRemainingTimeInMillis() } : undefined,
    ),
  );
