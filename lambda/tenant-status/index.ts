import { Logger } from '@aws-lambda-powertools/logger';
import type { AdminApiEvent, ApiResponse } from '../shared/lifecycle/api';
import { guardApi } from '../shared/lifecycle/api-guard';
import { SettingsReader, TABLE_NAME_PATTERN } from '../shared/lifecycle/settings';
import { createDocumentClient } from '../shared/tenant-registry/document-client';
import { TenantRegistry } from '../shared/tenant-registry/tenant-registry';
import { tenantStatus } from './tenant-status';

const logger = new Logger({ serviceName: 'tenant-status' });
const read = new SettingsReader(process.env, 'tenant-status');
const registryTable = read.text('TABLE_NAME', 'the tenant registry table name', TABLE_NAME_PATTERN);
read.done();

const deps = {
  // The status handler never writes: the audit table name is not needed.
  registry: new TenantRegistry(createDocumentClient(), { registry: registryTable, audit: '' }),
  clock: () => new Date(),
  logger,
};

export const handler = (event: AdminApiEvent): Promise<ApiResponse> =>
  guardApi(logger, event, (e) => tenantStatus(deps, e));
