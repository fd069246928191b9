import type { AdminApiEvent, ApiResponse } from '../shared/lifecycle/api';
import { adminRequestOf, json, refusalResponse, tenantView } from '../shared/lifecycle/api';
import { refuse } from '../shared/lifecycle/refusal';
import { deactivate } from '../shared/lifecycle/rules';
import type { AdminDeps } from '../shared/tenant-registry/admin-deps';
import { MAX_WRITE_ATTEMPTS } from '../shared/tenant-registry/admin-deps';
import { disableForClosure } from '../shared/tenant-registry/tenant-users';

/**
 * POST /tenants/{tenantId}/deactivate {"reason": "..."}: registry first (from then on the
 * tenant pool's pre-token-generation trigger refuses every token for the tenant, sign-in and
 * refresh alike), then the tenant's enabled Cognito users are recorded in the registry and disabled
 * (reactivation re-enables exactly those) and every user is signed out globally
 * (refresh tokens revoked); access tokens already issued live out their lifetime (README). A retry on a
 * DEACTIVATED tenant answers 409 but finishes disabling the users first.
 */
export async function deactivateTenant(
  deps: AdminDeps,
  event: AdminApiEvent,
): Promise<ApiResponse> {
  const { logger } = deps;
  const read = adminRequestOf(event, { action: 'deactivation', reasonRequired: true, logger });
  if ('response' in read) return read.response;
  const { tenantId, actor, reason } = read.request;

  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
    const record = await deps.registry.get(tenantId);
    if (!record) {
      logger.warn('deactivation refused: unknown tenant', { tenantId, code: 'UNKNOWN_TENANT' });
      return refusalResponse(refuse('UNKNOWN_TENANT', `tenant ${tenantId} is not in the registry`));
    }
    const now = deps.clock();
    const decision = deactivate(record, { actor, reason, now }, deps.policy);
    if (!decision.ok) {
      let usersDisabled: number | undefined;
      if (record.lifecycleState === 'DEACTIVATED') {
        // A retry after a partial run: make sure every user is disabled (idempotent).
        usersDisabled = (await disableForClosure(deps, tenantId)).disabled;
      }
      logger.warn('deactivation refused', {
        tenantId,
        code: decision.code,
        lifecycleState: record.lifecycleState,
        usersDisabledOnRetry: usersDisabled,
      });
      return refusalResponse(
        usersDisabled === undefined
          ? decision
          : { ...decision, details: { ...decision.details, usersDisabledNow: usersDisabled } },
      );
    }
    if ((await deps.registry.apply(decision)) === 'conflict') {
      logger.info('deactivation raced another write; re-reading', { tenantId, attempt });
      continue;
    }
    logger.info('tenant deactivated', {
      tenantId,
      version: decision.version,
      actorKind: actor.kind,
      graceEndsAt: decision.next.graceEndsAt,
    });
    const users = await disableForClosure(deps, tenantId);
    logger.info('tenant users disabled', {
      tenantId,
      users: users.users,
      disabled: users.disabled,
      recorded: users.recorded,
      signedOut: users.signedOut,
    });
    return json(200, { ...tenantView(decision.next, now), usersDisabled: users.disabled });
  }
  logger.warn('deactivation gave up: tenant changed concurrently', { tenantId });
  return json(409, {
    error: 'CONCURRENT_CHANGE',
    message: `tenant ${tenantId} changed while it was being deactivated; read its state and retry`,
  });
}
