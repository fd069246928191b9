import { randomUUID } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Pool } from 'pg';
import { asTenant } from '../db/database';
import { documentsTable } from '../documents/documents-table';
import { KIND_RULES } from '../documents/kinds';
import { parseUploadRequest } from '../documents/upload-request';
import { CLEAN, scanStatus } from '../files/scan-status';
import type { BucketEndpoint, SessionCredentials } from '../files/sigv4';
import { presignedGet, presignedPost } from '../files/sigv4';
import type { TokenHolder } from '../files/tenant-credentials';
import type { Reply } from '../http';
import { errorReply, isReply } from '../http';
import type { TenantHandler } from '../tenant-gate';

export interface DocumentsDeps {
  readonly pool: Pool;
  /** Tenant session credentials, vended for the caller's token (files/tenant-credentials.ts). */
  readonly credentials: { forCaller(caller: TokenHolder): Promise<SessionCredentials> };
  /** The service's own S3 client: reads scan tags only. */
  readonly s3: S3Client;
  readonly files: BucketEndpoint;
  readonly clock?: () => Date;
}

/** How long an upload form and a download URL are valid. */
export const URL_SECONDS = 300;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The key of a document: always under the tenant's own folder. */
export function objectKeyOf(tenantId: string, documentId: string): string {
  return `tenants/${tenantId}/documents/${documentId}`;
}

/**
 * POST /documents `{ kind, contentType, fileName? }`: records the document and answers an
 * upload form (presigned POST) for exactly its key, content type and size limit, signed by the
 * tenant session. 201.
 */
export function createUpload(deps: DocumentsDeps): TenantHandler {
  return async (request, { caller, settings }) => {
    const upload = parseUploadRequest(request.body, settings);
    if (isReply(upload)) return upload;
    const now = (deps.clock ?? (() => new Date()))();
    const documentId = randomUUID();
    const objectKey = objectKeyOf(caller.tenantId, documentId);
    const { maxBytes } = KIND_RULES[upload.kind];
    const document = await documentsTable.insert(asTenant(deps.pool, caller.tenantId), {
      documentId,
      kind: upload.kind,
      contentType: upload.contentType,
      maxBytes,
      ...(upload.fileName ? { fileName: upload.fileName } : {}),
      objectKey,
      createdBy: caller.sub,
    });
    const credentials = await deps.credentials.forCaller(caller);
    const form = presignedPost(
      credentials,
      deps.files,
      { key: objectKey, contentType: upload.contentType, maxBytes, expiresSeconds: URL_SECONDS },
      now,
    );
    return {
      status: 201,
      body: {
        document,
        upload: {
          method: 'POST',
          url: form.url,
          fields: form.fields,
          maxBytes,
          expiresAt: new Date(now.getTime() + URL_SECONDS * 1000).toISOString(),
        },
      },
    };
  };
}

/** GET /documents: the tenant's documents, newest first (at most 100). */
export function listDocuments(deps: DocumentsDeps): TenantHandler {
  return async (_request, { caller }) => {
    const documents = await documentsTable.list(asTenant(deps.pool, caller.tenantId), 100);
    return { status: 200, body: { documents } };
  };
}

/**
 * GET /documents/{documentId}/download: a presigned GET URL signed by the tenant session, only
 * once GuardDuty scanned the object clean. 404 for a document the tenant does not have (another
 * tenant's is invisible under row-level security), 409 while not uploaded or not scanned yet,
 * 403 when the scan found threats or could not scan it.
 */
export function downloadDocument(deps: DocumentsDeps): TenantHandler {
  return async (request, { caller }): Promise<Reply> => {
    const documentId = request.params.documentId ?? '';
    const notFound = errorReply(
      404,
      'DOCUMENT_NOT_FOUND',
      `no document ${documentId} for this tenant`,
    );
    if (!UUID.test(documentId)) return notFound;
    const document = await documentsTable.get(asTenant(deps.pool, caller.tenantId), documentId);
    if (!document) return notFound;
    const status = await scanStatus(deps.s3, deps.files.bucket, document.objectKey);
    if (status === 'missing') {
      return errorReply(
        409,
        'NOT_UPLOADED',
        'the file was not uploaded yet: upload it with the form of POST /documents',
      );
    }
    if (status === 'pending') {
      return errorReply(
        409,
        'SCAN_PENDING',
        'the file is being scanned for malware; try again in a minute',
      );
    }
    if (status !== CLEAN) {
      return errorReply(
        403,
        'SCAN_NOT_CLEAN',
        'the malware scan did not find this file clean; it is not served',
        { scanStatus: status },
      );
    }
    const now = (deps.clock ?? (() => new Date()))();
    const credentials = await deps.credentials.forCaller(caller);
    return {
      status: 200,
      body: {
        document,
        url: presignedGet(credentials, deps.files, document.objectKey, URL_SECONDS, now),
        expiresAt: new Date(now.getTime() + URL_SECONDS * 1000).toISOString(),
      },
    };
  };
}
