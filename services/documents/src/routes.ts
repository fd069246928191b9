import { downloadDocument, createUpload, listDocuments } from './handlers/documents';
import type { DocumentsDeps } from './handlers/documents';
import { health } from './handlers/health';
import type { Route } from './http';
import type { GateDeps } from './tenant-gate';
import { tenantRoute } from './tenant-gate';
import { DOCUMENTS_MODULE } from './tenants/tenant-settings';

/**
 * Every route of the service: a handler per route in `handlers/`. Anything else answers 404.
 * The documents routes are tenant routes of the `documents` module (see `tenant-gate.ts`).
 */
export function routes(deps: GateDeps & DocumentsDeps): readonly Route[] {
  const tenant = (handler: Parameters<typeof tenantRoute>[2]) =>
    tenantRoute(deps, DOCUMENTS_MODULE, handler);
  return [
    { method: 'GET', path: '/health', handler: health },
    { method: 'GET', path: '/documents', handler: tenant(listDocuments(deps)) },
    { method: 'POST', path: '/documents', handler: tenant(createUpload(deps)) },
    {
      method: 'GET',
      path: '/documents/{documentId}/download',
      handler: tenant(downloadDocument(deps)),
    },
  ];
}
