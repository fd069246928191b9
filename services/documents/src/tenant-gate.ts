import type { Caller, TokenCheck } from './auth/access-token';
import type { Handler, Reply, RequestContext } from './http';
import { errorReply } from './http';
import { logLine } from './log';
import type { TenantEntry } from './tenants/tenant-directory';
import type { TenantSettings } from './tenants/tenant-settings';
import { UnreadableSettings } from './tenants/tenant-settings';

/** The verified caller and the tenant's settings, as a tenant route's handler gets them. */
export interface TenantContext {
  readonly caller: Caller;
  readonly settings: TenantSettings;
}

export interface GateDeps {
  readonly verify: (authorization: string | undefined) => Promise<TokenCheck>;
  readonly directory: { get(tenantId: string): Promise<TenantEntry> };
}

export type TenantHandler = (request: RequestContext, tenant: TenantContext) => Promise<Reply>;

function log(request: RequestContext, message: string, fields: Record<string, unknown>): void {
  logLine('warn', message, { requestId: request.requestId, ...request.logFields, ...fields });
}

/**
 * A route of a tenant module: the caller's access token is verified (401 otherwise), the tenant
 * comes from its claim only, must be ACTIVE in the registry (403 `TENANT_NOT_ACTIVE`) and must
 * have `module` enabled (404 `MODULE_DISABLED`, naming the module: for that tenant the module's
 * routes do not exist). Only then does `handler` run.
 */
export function tenantRoute(deps: GateDeps, module: string, handler: TenantHandler): Handler {
  return async (request) => {
    const check = await deps.verify(headerOf(request, 'authorization'));
    if (!check.ok) {
      log(request, 'request refused: token', { reason: check.reason });
      return errorReply(
        401,
        'UNAUTHENTICATED',
        `${check.reason}: sign in again and send the access token`,
      );
    }
    const { caller } = check;
    request.logFields.tenantId = caller.tenantId;
    let entry: TenantEntry;
    try {
      entry = await deps.directory.get(caller.tenantId);
    } catch (error) {
      if (!(error instanceof UnreadableSettings)) throw error;
      log(request, 'request refused: settings', { reason: error.message });
      return errorReply(
        503,
        'SETTINGS_UNREADABLE',
        'the tenant settings cannot be read; try again later',
      );
    }
    if (entry.state !== 'ACTIVE') {
      log(request, 'request refused: tenant not active', { state: entry.state });
      return errorReply(
        403,
        'TENANT_NOT_ACTIVE',
        `the tenant is ${entry.state ?? 'unknown'}: only an ACTIVE tenant is served`,
      );
    }
    if (!entry.settings.modules.includes(module)) {
      log(request, 'request refused: module disabled', { module });
      return errorReply(
        404,
        'MODULE_DISABLED',
        `module ${module} is not enabled for this tenant; an operator enables it in the tenant's settings`,
        { module },
      );
    }
    return handler(request, { caller, settings: entry.settings });
  };
}

function headerOf(request: RequestContext, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
