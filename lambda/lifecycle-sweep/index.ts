import { Logger } from '@aws-lambda-powertools/logger';
import { RDSClient } from '@aws-sdk/client-rds';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { readEnvironment } from '../shared/contract';
import { policyOf } from '../shared/lifecycle/settings';
import { globalClusterWriter, standaloneWriter } from '../shared/lifecycle/writer-region';
import { startInvocation } from '../shared/observability/log-context';
import { createDocumentClient } from '../shared/tenant-registry/document-client';
import { TenantRegistry } from '../shared/tenant-registry/tenant-registry';
import { contract } from './contract';
import type { SweepReport } from './run-sweep';
import { handleSweep } from './sweep-handler';

const logger = new Logger({ serviceName: contract.name });
const settings = readEnvironment(contract, process.env);

const deps = {
  registry: new TenantRegistry(createDocumentClient(), {
    registry: settings.TABLE_NAME,
    audit: settings.AUDIT_TABLE_NAME,
  }),
  sqs: new SQSClient({}),
  queueUrls: { archive: settings.ARCHIVE_JOBS_QUEUE_URL, purge: settings.PURGE_JOBS_QUEUE_URL },
  policy: policyOf({ leaseMinutes: settings.LEASE_MINUTES }),
  clock: () => new Date(),
  logger,
  // The region's RDS API (through the VPC's RDS endpoint): whether this region's cluster is the writer.
  writer: settings.GLOBAL_CLUSTER_ID
    ? globalClusterWriter(new RDSClient({}), {
        globalClusterIdentifier: settings.GLOBAL_CLUSTER_ID,
        clusterIdentifier: settings.DB_CLUSTER_ID,
      })
    : standaloneWriter(settings.DB_CLUSTER_ID),
  emit: (line: string) => process.stdout.write(`${line}\n`),
};

// Every line carries the request id; the sweep's per-tenant lines name their tenant themselves.
export const handler = (event: unknown, context?: Context): Promise<SweepReport> => {
  startInvocation(logger, context);
  return handleSweep(deps, event);
};
