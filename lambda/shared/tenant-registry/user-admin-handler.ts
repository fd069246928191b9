import { Logger } from '@aws-lambda-powertools/logger';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { AdminApiEvent, ApiResponse } from '../lifecycle/api';
import { guardApi } from '../lifecycle/api-guard';
import type { PolicyNeeds } from '../lifecycle/settings';
import { readPolicy, SettingsReader, USER_POOL_ID_PATTERN } from '../lifecycle/settings';
import type { AdminDeps } from './admin-deps';
import { createDocumentClient } from './document-client';
import { readRegistryTables } from './registry-settings';
import { TenantRegistry } from './tenant-registry';

/**
 * The Lambda entry point of an admin route that changes a tenant's state and its Cognito users
 * (deactivate, reactivate): settings read and checked once at init, clients built once, every
 * request through the API guard.
 */
export function userAdminHandler(
  name: string,
  policyNeeds: PolicyNeeds,
  core: (deps: AdminDeps, event: AdminApiEvent) => Promise<ApiResponse>,
): (event: AdminApiEvent) => Promise<ApiResponse> {
  const logger = new Logger({ serviceName: name });
  const read = new SettingsReader(process.env, name);
  const tables = readRegistryTables(read);
  const policy = readPolicy(read, policyNeeds);
  const userPoolId = read.text('USER_POOL_ID', 'the Cognito user pool id', USER_POOL_ID_PATTERN);
  read.done();
  const deps: AdminDeps = {
    registry: new TenantRegistry(createDocumentClient(), tables),
    cognito: new CognitoIdentityProviderClient({}),
    userPoolId,
    policy,
    clock: () => new Date(),
    logger,
  };
  return (event) => guardApi(logger, event, (e) => core(deps, e));
}
