import type { Logger } from '@aws-lambda-powertools/logger';
import type { AuditRecord } from '../shared/lifecycle/audit';
import type { AdminApiEvent, ApiResponse } from '../shared/lifecycle/api';
import { adminRequestOf, json, refusalResponse } from '../shared/lifecycle/api';
import { refuse } from '../shared/lifecycle/refusal';
import { MAX_WRITE_ATTEMPTS } from '../shared/tenant-registry/admin-deps';
import { checkSettings, SETTINGS_SCHEMA_VERSION } from '../shared/tenant-registry/settings';
import type { SettingsStore } from '../shared/tenant-registry/settings-store';

export interface SettingsDeps {
  readonly store: SettingsStore;
  readonly clock: () => Date;
  readonly logger: Logger;
}

function settingsOfBody(event: AdminApiEvent): unknown {
  let raw = event?.body ?? '';
  if (raw && event.isBase64Encoded) raw = Buffer.from(raw, 'base64').toString('utf8');
  try {
    return (JSON.parse(raw) as { settings?: unknown } | null)?.settings;
  } catch {
    return undefined; // reasonOf has refused the body already
  }
}

/**
 * PUT /tenants/{tenantId}/settings `{"settings": {...}, "reason": "..."}`: replaces the tenant's
 * plan, modules and module settings (schema `lambda/shared/tenant-registry/settings.ts`). Invalid
 * settings are refused (400) with every problem's field and fix; nothing is written. A valid
 * change is written with its audit item in one transaction, like a lifecycle change (event
 * `settings-change`, actor, reason, the new plan and modules); a tenant past ACTIVE or DEACTIVATED
 * (archiving, archived, purged) has no settings to change (409). Services see the change within
 * their cache time (the documents service: 30 s).
 */
export async function updateSettings(
  deps: SettingsDeps,
  event: AdminApiEvent,
): Promise<ApiResponse> {
  const { logger } = deps;
  const read = adminRequestOf(event, { action: 'settings change', reasonRequired: true, logger });
  if ('response' in read) return read.response;
  const { tenantId, actor, reason } = read.request;
  const check = checkSettings(settingsOfBody(event));
  if (!check.ok) {
    logger.warn('settings refused: invalid', {
      tenantId,
      fields: check.problems.map((p) => p.field),
    });
    return json(400, {
      error: 'INVALID_INPUT',
      message: `the settings are invalid: ${check.problems.map((p) => `${p.field}: ${p.fix}`).join('; ')}`,
      problems: check.problems,
    });
  }

  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
    const current = await deps.store.get(tenantId);
    if (!current) {
      return refusalResponse(refuse('UNKNOWN_TENANT', `tenant ${tenantId} is not in the registry`));
    }
    const { record } = current;
    if (record.lifecycleState !== 'ACTIVE' && record.lifecycleState !== 'DEACTIVATED') {
      return refusalResponse(
        refuse(
          'WRONG_STATE',
          `tenant ${tenantId} is ${record.lifecycleState}: only an ACTIVE or DEACTIVATED tenant has settings to change`,
        ),
      );
    }
    const version = (record.version ?? 0) + 1;
    const audit: AuditRecord = {
      tenantId,
      version,
      at: deps.clock().toISOString(),
      event: 'settings-change',
      fromState: record.lifecycleState,
      toState: record.lifecycleState,
      actorKind: actor.kind,
      actorId: actor.id,
      reason,
      details: {
        settingsSchemaVersion: SETTINGS_SCHEMA_VERSION,
        plan: check.settings.plan,
        modules: check.settings.modules.join(',') || '(none)',
        previousPlan: current.settings.plan,
        previousModules: current.settings.modules.join(',') || '(none)',
      },
    };
    if ((await deps.store.write(record, check.settings, audit)) === 'conflict') {
      logger.info('settings change raced another write; re-reading', { tenantId, attempt });
      continue;
    }
    logger.info('tenant settings changed', { tenantId, version, plan: check.settings.plan });
    return json(200, { tenantId, version, settings: check.settings });
  }
  return json(409, {
    error: 'CONFLICT',
    message: `tenant ${tenantId} changed ${MAX_WRITE_ATTEMPTS} times while this request ran; send it again`,
  });
}
