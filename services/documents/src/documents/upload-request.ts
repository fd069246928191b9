import type { Reply } from '../http';
import { errorReply } from '../http';
import type { DocumentKind, TenantSettings } from '../tenants/tenant-settings';
import { DOCUMENT_KINDS } from '../tenants/tenant-settings';
import { KIND_RULES } from './kinds';

/** A valid request for an upload form. */
export interface UploadRequest {
  readonly kind: DocumentKind;
  readonly contentType: string;
  readonly fileName?: string;
}

const FILE_NAME = /^[\w .()-]{1,200}$/;

/**
 * Checks `{ "kind", "contentType", "fileName"? }` against the kinds and their content types,
 * and against the kinds the tenant's settings enable; every refusal names the field and the fix.
 */
export function parseUploadRequest(body: unknown, settings: TenantSettings): UploadRequest | Reply {
  const invalid = (field: string, fix: string) =>
    errorReply(400, 'INVALID_INPUT', `field ${field}: ${fix}`, { field });
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return invalid('body', 'send a JSON object {"kind", "contentType", "fileName"}');
  }
  const { kind, contentType, fileName } = body as Record<string, unknown>;
  if (typeof kind !== 'string' || !(DOCUMENT_KINDS as readonly string[]).includes(kind)) {
    return invalid('kind', `use one of ${DOCUMENT_KINDS.join(', ')}`);
  }
  const documentKind = kind as DocumentKind;
  if (!settings.documentKinds.includes(documentKind)) {
    return errorReply(
      403,
      'KIND_NOT_ENABLED',
      `uploads of kind ${kind} are not enabled for this tenant: use one of ` +
        `${settings.documentKinds.join(', ') || '(none)'}, or ask an operator to enable it`,
      { field: 'kind' },
    );
  }
  const allowed = KIND_RULES[documentKind].contentTypes;
  if (typeof contentType !== 'string' || !allowed.includes(contentType)) {
    return invalid('contentType', `a ${kind} must be one of ${allowed.join(', ')}`);
  }
  if (fileName !== undefined && (typeof fileName !== 'string' || !FILE_NAME.test(fileName))) {
    return invalid('fileName', "1-200 letters, digits, spaces, '.', '(', ')', '_' or '-'");
  }
  return { kind: documentKind, contentType, ...(fileName ? { fileName } : {}) };
}
