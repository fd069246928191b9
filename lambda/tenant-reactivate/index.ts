import { Logger } from '@aws-lambda-powertools/logger';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { AdminApiEvent, ApiResponse } from '../shared/lifecycle/api';
import { guardApi } from '../shared/lifecycle/api-guard';
import { readPolicy, SettingsReader, USER_POOL_ID_PATTERN } from '../shared/lifecycle/settings';
import { createDocumentClient } from '../shared/tenant-registry/document-client';
import { readRegistryTables } from '../shared/tenant-registry/registry-settings';
import { TenantRegistry } from '../shared/tenant-registry/tenant-registry';
import { reactivateTenant } from './reactivate-tenant';

const logger = new Logger({ serviceName: 'tenant-reactivate' });
const read = new SettingsReader(process.env, 'tenant-reactivate');
const tables = readRegistryTables(read);
const policy = readPolicy(read, {});
const userPoolId = read.text('USER_POOL_ID', 'the Cognito user pool id', USER_POOL_ID_PATTERN);
read.done();

const deps = {
  registry: new TenantRegistry(createDocumentClient(), tables),
  cognito: new CognitoIdentityProviderClient({}),
  userPoolId,
  policy,
  clock: () => new Date(),
  logger,
};

export const handler = (event: AdminApiEvent): Promise<ApiResponse> =>
  guardApi(logger, event, (e) => reactivateTenant(deps, e));
