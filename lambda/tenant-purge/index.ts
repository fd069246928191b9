import { Logger } from '@aws-lambda-powertools/logger';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { ArchiveBudget } from '../shared/archive/contracts';
import { createPurgeDeps } from '../shared/archive/deps';
import { purgeTenant } from '../shared/archive/purge-tenant';
import { readEnvironment } from '../shared/contract';
import { runJobBatch } from '../shared/lifecycle/job-batch';
import { policyOf } from '../shared/lifecycle/settings';
import { inTenant, startInvocation } from '../shared/observability/log-context';
import { createDocumentClient } from '../shared/tenant-registry/document-client';
import { TenantRegistry } from '../shared/tenant-registry/tenant-registry';
import { deleteTenantUsers } from '../shared/tenant-registry/tenant-users';
import { contract } from './contract';
import { processPurgeJob } from './purge-job';

const logger = new Logger({ serviceName: contract.name });
const settings = readEnvironment(contract, process.env);
const engine = createPurgeDeps(
  { region: settings.AWS_REGION, archiveBucket: settings.ARCHIVE_BUCKET },
  { logger },
);

const cognito = new CognitoIdentityProviderClient({ region: settings.AWS_REGION });

const deps = {
  registry: new TenantRegistry(createDocumentClient(), {
    registry: settings.TABLE_NAME,
    audit: settings.AUDIT_TABLE_NAME,
  }),
  // The lease a checkpoint renews: the same default the archive worker renews with.
  policy: policyOf({}),
  clock: (): Date => new Date(),
  logger,
  purge: (req: Parameters<typeof purgeTenant>[1], budget?: ArchiveBudget) =>
    purgeTenant(engine, req, budget),
  deleteUsers: (tenantId: string) => deleteTenantUsers(cognito, settings.USER_POOL_ID, tenantId),
};

const sqs = new SQSClient({ region: settings.AWS_REGION });
// A checkpointed purge continues in a fresh message: the receive count starts again.
const continueLater = async (body: string): Promise<void> => {
  await sqs.send(
    new SendMessageCommand({ QueueUrl: settings.PURGE_JOBS_QUEUE_URL, MessageBody: body }),
  );
};

// Every line carries the request id; a job's lines its tenant id, the next job's not.
export const handler = (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
  startInvocation(logger, context);
  return runJobBatch(
    event,
    'purge',
    logger,
    (job) =>
      inTenant(logger, job.tenantId, () =>
        processPurgeJob(
          deps,
          job,
          context ? { remainingMs: () => context.getRemainingTimeInMillis() } : undefined,
        ),
      ),
    { continueLater },
  );
};
