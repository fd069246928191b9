import { Logger } from '@aws-lambda-powertools/logger';
import { SQSClient } from '@aws-sdk/client-sqs';
import { QUEUE_URL_PATTERN, readPolicy, SettingsReader } from '../shared/lifecycle/settings';
import { createDocumentClient } from '../shared/tenant-registry/document-client';
import { readRegistryTables } from '../shared/tenant-registry/registry-settings';
import { TenantRegistry } from '../shared/tenant-registry/tenant-registry';
import type { SweepReport } from './run-sweep';
import { handleSweep } from './sweep-handler';

const logger = new Logger({ serviceName: 'lifecycle-sweep' });
const read = new SettingsReader(process.env, 'lifecycle-sweep');
const tables = readRegistryTables(read);
const policy = readPolicy(read, { leaseMinutes: true });
const queueUrls = {
  archive: read.text('ARCHIVE_JOBS_QUEUE_URL', 'the archive jobs queue URL', QUEUE_URL_PATTERN),
  purge: read.text('PURGE_JOBS_QUEUE_URL', 'the purge jobs queue URL', QUEUE_URL_PATTERN),
};
read.done();

const deps = {
  registry: new TenantRegistry(createDocumentClient(), tables),
  sqs: new SQSClient({}),
  queueUrls,
  policy,
  clock: () => new Date(),
  logger,
  emit: (line: string) => process.stdout.write(`${line}\n`),
};

export const handler = (event: unknown): Promise<SweepReport> => handleSweep(deps, event);
