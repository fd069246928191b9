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
const queueUrl = read.text('JOBS_QUEUE_URL', 'the lifecycle jobs queue URL', QUEUE_URL_PATTERN);
read.done();

const deps = {
  registry: new TenantRegistry(createDocumentClient(), tables),
  sqs: new SQSClient({}),
  queueUrl,
  policy,
  clock: () => new Date(),
  logger,
  emit: (line: string) => process.stdout.write(`${line}\n`),
};

export const handler = (event: unknown): Promise<SweepReport> => handleSweep(deps, event);
