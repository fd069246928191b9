import type { AdminApiEvent, ApiResponse } from '../shared/lifecycle/api';
import {
  actorOf,
  json,
  reasonOf,
  refusalResponse,
  tenantIdOf,
  tenantView,
  UNAUTHENTICATED,
} from '../shared/lifecycle/api';
import { refuse } from '../shared/lifecycle/refusal';
import { reactivate } from '../shared/lifecycle/rules';
import type { AdminDeps } from '../shared/tenant-registry/admin-deps';
import { MAX_WRITE_ATTEMPTS } from '../shared/tenant-registry/admin-deps';
import { setTenantUsersEnabled } from '../shared/tenant-registry/tenant-users';

/**
 * POST /tenants/{tenantId}/reactivate (optional body {"reason": "..."}): only a DEACTIVATED
 * tenant before its grace end. Users are enabled first and the registry written last, so the
 * pre-token-generation trigger keeps refusing tokens for the tenant until the reactivation is
 * recorded; if the write then loses a race that makes it impossible (the sweep claimed the tenant
 * at grace end), the users are disabled again.
 */
export async function reactivateTenant(
  deps: AdminDeps,
  event: AdminApiEvent,
): Promise<ApiResponse> {
  const { logger } = deps;
  const tenantId = tenantIdOf(event);
  if (typeof tenantId !== 'string') {
    logger.warn('reactivation refused', { code: tenantId.code, field: tenantId.details?.field });
    return refusalResponse(tenantId);
  }
  const actor = actorOf(event);
  if (!actor) {
    logger.warn('reactivation refused: no actor in the JWT', { tenantId });
    return UNAUTHENTICATED;
  }
  const reason = reasonOf(event, false);
  if (typeof reason !== 'string') {
    logger.warn('reactivation refused', {
      tenantId,
      code: reason.code,
      field: reason.details?.field,
    });
    return refusalResponse(reason);
  }

  let usersEnabled = false;
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
    const record = await deps.registry.get(tenantId);
    if (!record) {
      logger.warn('reactivation refused: unknown tenant', { tenantId, code: 'UNKNOWN_TENANT' });
      return refusalResponse(refuse('UNKNOWN_TENANT', `tenant ${tenantId} is not in the registry`));
    }
    const now = deps.clock();
    const decision = reactivate(record, {
      actor,
      reason: reason || 'reactivated by an administrator',
      now,
    });
    if (!decision.ok) {
      if (usersEnabled && record.lifecycleState !== 'ACTIVE') {
        // Lost a race after enabling the users: take access away again.
        await setTenantUsersEnabled(deps.cognito, deps.userPoolId, tenantId, false);
      }
      logger.warn('reactivation refused', {
        tenantId,
        code: decision.code,
        lifecycleState: record.lifecycleState,
        graceEndsAt: record.graceEndsAt,
      });
      return refusalResponse(decision);
    }
    if (!usersEnabled) {
      const users = await setTenantUsersEnabled(deps.cognito, deps.userPoolId, tenantId, true);
      usersEnabled = true;
      logger.info('tenant users enabled', {
        tenantId,
        users: users.users,
        enabled: users.changed,
        groupFound: users.groupFound,
      });
    }
    if ((await deps.registry.apply(decision)) === 'conflict') {
      logger.info('reactivation raced another write; re-reading', { tenantId, attempt });
      continue;
    }
    logger.info('tenant reactivated', {
      tenantId,
      version: decision.version,
      actorKind: actor.kind,
    });
    return json(200, tenantView(decision.next, now));
  }
  await setTenantUsersEnabled(deps.cognito, deps.userPoolId, tenantId, false);
  logger.warn('reactivation gave up: tenant changed concurrently', { tenantId });
  return json(409, {
    error: 'CONCURRENT_CHANGE',
    message: `tenant ${tenantId} changed while it was being reactivated; read its state and retry`,
  });
}
