import { Logger } from '@aws-lambda-powertools/logger';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { Context } from 'aws-lambda';
import type { AdminApiEvent, ApiResponse } from '../lifecycle/api';
import { guardApi } from '../lifecycle/api-guard';
import { policyOf } from '../lifecycle/settings';
import { forTenant, startInvocation } from '../observability/log-context';
import type { AdminDeps } from './admin-deps';
import { createDocumentClient } from './document-client';
import { TenantRegistry } from './tenant-registry';

/** What an admin route that changes users reads from its contract. */
export interface UserAdminSettings {
  readonly TABLE_NAME: string;
  readonly AUDIT_TABLE_NAME: string;
  readonly USER_POOL_ID: string;
  /** Only deactivation starts the grace period. */
  readonly GRACE_DAYS?: number;
}

/**
 * The Lambda entry point of an admin route that changes a tenant's state and its Cognito users
 * (deactivate, reactivate): clients built once from settings its index.ts read and checked at
 * init (readEnvironment with its contract), every request through the API guard. Every log line
 * of a request carries its request id and the tenant id of the route (an id, never a name).
 */
export function userAdminHandler(
  name: string,
  settings: UserAdminSettings,
  core: (deps: AdminDeps, event: AdminApiEvent) => Promise<ApiResponse>,
): (event: AdminApiEvent, context?: Context) => Promise<ApiResponse> {
  const logger = new Logger({ serviceName: name });
  const deps: AdminDeps = {
    registry: new TenantRegistry(createDocumentClient(), {
      registry: settings.TABLE_NAME,
      audit: settings.AUDIT_TABLE_NAME,
    }),
    cognito: new CognitoIdentityProviderClient({}),
    userPoolId: settings.USER_POOL_ID,
    policy: policyOf({ graceDays: settings.GRACE_DAYS }),
    clock: () => new Date(),
    logger,
  };
  return (event, context) => {
    startInvocation(logger, context);
    const tenantId = event?.pathParameters?.tenantId;
    if (tenantId) forTenant(logger, tenantId);
    return guardApi(logger, event, (e) => core(deps, e));
  };
}
