import type { Logger } from '@aws-lambda-powertools/logger';
import type { AdminApiEvent, ApiResponse } from '../shared/lifecycle/api';
import { json, refusalResponse, tenantIdOf, tenantView } from '../shared/lifecycle/api';
import { refuse } from '../shared/lifecycle/refusal';
import type { TenantRegistry } from '../shared/tenant-registry/tenant-registry';

export interface StatusDeps {
  readonly registry: TenantRegistry;
  readonly clock: () => Date;
  readonly logger: Logger;
}

/** GET /tenants/{tenantId}: the tenant's lifecycle state, dates and possible next steps. */
export async function tenantStatus(deps: StatusDeps, event: AdminApiEvent): Promise<ApiResponse> {
  const tenantId = tenantIdOf(event);
  if (typeof tenantId !== 'string') {
    deps.logger.warn('status refused', { code: tenantId.code, field: tenantId.details?.field });
    return refusalResponse(tenantId);
  }
  const record = await deps.registry.get(tenantId);
  if (!record) {
    deps.logger.warn('status refused: unknown tenant', { tenantId, code: 'UNKNOWN_TENANT' });
    return refusalResponse(refuse('UNKNOWN_TENANT', `tenant ${tenantId} is not in the registry`));
  }
  return json(200, tenantView(record, deps.clock()));
}
