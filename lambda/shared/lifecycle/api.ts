import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import type { Actor } from './audit';
import type { Refusal } from './refusal';
import { HTTP_STATUS_OF, refuse } from './refusal';
import { REASON_CODES, isReasonCode } from './reason-codes';
import type { TenantRecord } from './tenant';
import { isTenantId, TENANT_ID_PATTERN } from './tenant';

/** The admin API's event: HTTP API, payload v2, JWT authorizer. */
export type AdminApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;

export interface ApiResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export function json(statusCode: number, body: unknown): ApiResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    body: JSON.stringify(body),
  };
}

export function refusalResponse(refusal: Refusal): ApiResponse {
  return json(HTTP_STATUS_OF[refusal.code], {
    error: refusal.code,
    message: refusal.message,
    ...(refusal.details ? { details: refusal.details } : {}),
  });
}

/** The tenant id from the path, or a refusal naming the field and the fix. */
export function tenantIdOf(event: AdminApiEvent): string | Refusal {
  const tenantId = event?.pathParameters?.tenantId;
  if (!isTenantId(tenantId)) {
    return refuse(
      'INVALID_INPUT',
      `path parameter tenantId ${tenantId === undefined ? 'is missing' : 'is invalid'}: use 1-64 letters, digits, '-' or '_' starting with a letter or digit (${TENANT_ID_PATTERN})`,
      { field: 'tenantId' },
    );
  }
  return tenantId;
}

/** The caller from the JWT: `sub` for a user, `client_id` for a machine client. */
export function actorOf(event: AdminApiEvent): Actor | undefined {
  const claims = event?.requestContext?.authorizer?.jwt?.claims ?? {};
  const sub = claims.sub;
  const clientId = claims.client_id;
  if (typeof sub === 'string' && sub) return { kind: 'user', id: sub };
  if (typeof clientId === 'string' && clientId) return { kind: 'client', id: clientId };
  return undefined;
}

export const UNAUTHENTICATED = json(401, {
  error: 'UNAUTHENTICATED',
  message: 'the JWT has neither sub nor client_id; call through the admin API with a valid token',
});

const REASON_HELP = `send JSON {"reason": "<one of ${REASON_CODES.join(', ')}>"}`;

/**
 * Parses `{ "reason": "<code>" }`: a code from REASON_CODES (reason-codes.ts), never free text,
 * so that the registry and the append-only audit table can hold no personal data in it.
 * `required: false` accepts an empty body.
 */
export function reasonOf(event: AdminApiEvent, required: boolean): string | Refusal {
  let raw = event?.body;
  if (raw && event.isBase64Encoded) raw = Buffer.from(raw, 'base64').toString('utf8');
  if (!raw || raw.trim() === '') {
    return required
      ? refuse('INVALID_INPUT', `body is missing: ${REASON_HELP}`, { field: 'reason' })
      : '';
  }
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return refuse('INVALID_INPUT', `body is not valid JSON: ${REASON_HELP}`, { field: 'body' });
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return refuse('INVALID_INPUT', `body must be a JSON object: ${REASON_HELP}`, {
      field: 'body',
    });
  }
  const reason = (body as { reason?: unknown }).reason;
  if (reason === undefined && !required) return '';
  if (!isReasonCode(reason)) {
    return refuse(
      'INVALID_INPUT',
      `field reason must be one of ${REASON_CODES.join(', ')} (a code, not free text: the ` +
        'audit trail is kept forever and holds no personal data)',
      { field: 'reason' },
    );
  }
  return reason;
}

/** What an admin write route reads from its request before it touches the registry. */
export interface AdminRequest {
  readonly tenantId: string;
  readonly actor: Actor;
  /** A reason code, or '' where the route makes it optional and none was given. */
  readonly reason: string;
}

/** Anything with a `warn` (Powertools' Logger has one). */
interface RefusalLogger {
  warn(message: string, attributes: Record<string, unknown>): void;
}

/**
 * The tenant id (path), the caller (JWT) and the reason (body) of an admin write route, in that
 * order, or the response that refuses the request: 400 naming the field and the fix, or 401.
 * Each refusal is logged as `<action> refused` with its code and field (never the body).
 */
export function adminRequestOf(
  event: AdminApiEvent,
  route: {
    readonly action: string;
    readonly reasonRequired: boolean;
    readonly logger: RefusalLogger;
  },
): { readonly request: AdminRequest } | { readonly response: ApiResponse } {
  const { action, logger } = route;
  const refused = (refusal: Refusal, tenantId?: string) => {
    logger.warn(`${action} refused`, {
      ...(tenantId ? { tenantId } : {}),
      code: refusal.code,
      field: refusal.details?.field,
    });
    return { response: refusalResponse(refusal) };
  };
  const tenantId = tenantIdOf(event);
  if (typeof tenantId !== 'string') return refused(tenantId);
  const actor = actorOf(event);
  if (!actor) {
    logger.warn(`${action} refused: no actor in the JWT`, { tenantId });
    return { response: UNAUTHENTICATED };
  }
  const reason = reasonOf(event, route.reasonRequired);
  if (typeof reason !== 'string') return refused(reason, tenantId);
  return { request: { tenantId, actor, reason } };
}

/** What the API returns about a tenant: state, dates and what can happen next. */
export function tenantView(record: TenantRecord, now: Date): Record<string, unknown> {
  const reactivable =
    record.lifecycleState === 'DEACTIVATED' &&
    record.graceEndsAt !== undefined &&
    now.getTime() < Date.parse(record.graceEndsAt);
  const view: Record<string, unknown> = {
    tenantId: record.tenantId,
    lifecycleState: record.lifecycleState,
    version: record.version ?? 0,
    canDeactivate: record.lifecycleState === 'ACTIVE',
    canReactivate: reactivable,
  };
  if (reactivable) view.reactivationPossibleUntil = record.graceEndsAt;
  for (const field of [
    'deactivatedAt',
    'deactivatedBy',
    'deactivationReason',
    'graceEndsAt',
    'reactivatedAt',
    'archiveId',
    'archivingStartedAt',
    'archivedAt',
    'purgeAt',
    'purgingStartedAt',
    'purgedAt',
    'dueAt',
    'updatedAt',
  ] as const) {
    if (record[field] !== undefined) view[field] = record[field];
  }
  return view;
}
