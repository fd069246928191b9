import type { AdminApiEvent, ApiResponse } from '../shared/lifecycle/api';
import { adminRequestOf, json, refusalResponse, tenantView } from '../shared/lifecycle/api';
import { refuse } from '../shared/lifecycle/refusal';
import { reactivate } from '../shared/lifecycle/rules';
import type { AdminDeps } from '../shared/tenant-registry/admin-deps';
import { MAX_WRITE_ATTEMPTS } from '../shared/tenant-registry/admin-deps';
import { enableAfterClosure } from '../shared/tenant-registry/tenant-users';

/**
 * POST /tenants/{tenantId}/reactivate (optional body {"reason": "..."}): only a DEACTIVATED
 * tenant before its grace end. The registry is written first (the pre-token-generation trigger refuses
 * tokens until it says ACTIVE; a write that fails, or loses the
 * race with the sweep's claim at grace end, leaves every user disabled), then exactly the users
 * the closure disabled are re-enabled and their record cleared. A retry on an ACTIVE tenant
 * whose users are still recorded answers 409 but finishes re-enabling them first.
 */
export async function reactivateTenant(
  deps: AdminDeps,
  event: AdminApiEvent,
): Promise<ApiResponse> {
  const { logger } = deps;
  const read = adminRequestOf(event, { action: 'reactivation', reasonRequired: false, logger });
  if ('response' in read) return read.response;
  const { tenantId, actor, reason } = read.request;

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
      let usersEnabled: number | undefined;
      if (record.lifecycleState === 'ACTIVE' && record.closureDisabledUsers !== undefined) {
        // A retry after the registry write: finish re-enabling the users (idempotent).
        usersEnabled = (await enableAfterClosure(deps, record)).enabled;
      }
      logger.warn('reactivation refused', {
        tenantId,
        code: decision.code,
        lifecycleState: record.lifecycleState,
        graceEndsAt: record.graceEndsAt,
        usersEnabledOnRetry: usersEnabled,
      });
      return refusalResponse(
        usersEnabled === undefined
          ? decision
          : { ...decision, details: { ...decision.details, usersEnabledNow: usersEnabled } },
      );
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
    const users = await enableAfterClosure(deps, record);
    logger.info('tenant users enabled', { tenantId, enabled: users.enabled, legacy: users.legacy });
    return json(200, { ...tenantView(decision.next, now), usersEnabled: users.enabled });
  }
  logger.warn('reactivation gave up: tenant changed concurrently', { tenantId });
  return json(409, {
    error: 'CONCURRENT_CHANGE',
    message: `tenant ${tenantId} changed while it was being reactivated; read its state and retry`,
  });
}
