import { Logger } from '@aws-lambda-powertools/logger';
import { readEnvironment } from '../shared/contract';
import type { AdminApiEvent, ApiResponse } from '../shared/lifecycle/api';
import { guardApi } from '../shared/lifecycle/api-guard';
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

export const handler = (event: AdminApiEvent): Promise<ApiResponse> =>
  guardApi(logger, event, (e) => tenantStatus(deps, e));
