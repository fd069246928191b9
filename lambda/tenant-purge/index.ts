import { Logger } from '@aws-lambda-powertools/logger';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createPurgeDeps } from '../shared/archive/deps';
import { purgeTenant } from '../shared/archive/purge-tenant';
import { runJobBatch } from '../shared/lifecycle/job-batch';
import { SettingsReader } from '../shared/lifecycle/settings';
import { createDocumentClient } from '../shared/tenant-registry/document-client';
import { readRegistryTables } from '../shared/tenant-registry/registry-settings';
import { TenantRegistry } from '../shared/tenant-registry/tenant-registry';
import { processPurgeJob } from './purge-job';

const logger = new Logger({ serviceName: 'tenant-purge' });
const read = new SettingsReader(process.env, 'tenant-purge');
const tables = readRegistryTables(read);
read.done();
// ARCHIVE_BUCKET (and AWS_REGION): validated by the engine's factory.
const engine = createPurgeDeps(process.env, { logger });

const deps = {
  registry: new TenantRegistry(createDocumentClient(), tables),
  clock: (): Date => new Date(),
  logger,
  purge: (req: Parameters<typeof purgeTenant>[1]) => purgeTenant(engine, req),
};

export const handler = (event: SQSEvent): Promise<SQSBatchResponse> =>
  runJobBatch(event, 'purge', logger, (job) => processPurgeJob(deps, job));
