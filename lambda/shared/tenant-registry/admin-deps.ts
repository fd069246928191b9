import type { Logger } from '@aws-lambda-powertools/logger';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { LifecyclePolicy } from '../lifecycle/policy';
import type { TenantRegistry } from './tenant-registry';

/** What the admin API handlers (deactivate, reactivate, status) get injected. */
export interface AdminDeps {
  readonly registry: TenantRegistry;
  readonly cognito: CognitoIdentityProviderClient;
  readonly userPoolId: string;
  readonly policy: LifecyclePolicy;
  readonly clock: () => Date;
  readonly logger: Logger;
}

/** Bounded retries of read-decide-write when another writer changed the tenant meanwhile. */
export const MAX_WRITE_ATTEMPTS = 3;
