import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { readEnvironment } from '../shared/contract';
import type { AdminApiEvent, ApiResponse } from '../shared/lifecycle/api';
import { guardApi } from '../shared/lifecycle/api-guard';
import { startRequest } from '../shared/observability/log-context';
import { createDocumentClient } from '../shared/tenant-registry/document-client';
import { TenantRegistry } from '../shared/tenant-registry/tenant-registry';
import { contract } from './contract';
import { tenantStatus } from './tenant-status';

const logger = new Logger({ serviceName: contract.name });
const settings = readEnvironment(contract, process.env);

const deps = {
  // The status handler never writes: the audit table name is not needed.
  registry: new TenantRegistry(createDocumentClient(), {
    registry: settings.TABLE_NAME,
    audit: '',
  }),
  clock: () => new Date(),
  logger,
};

/** Every line of a request carries its request id and the route's tenant id (never a name). */
export const handler = (event: AdminApiEvent, context?: Context): Promise<ApiResponse> => {
  startRequest(logger, context, event?.pathParameters?.tenantId);
  return guardApi(logger, event, (e) => tenantStatus(deps, e));
};
