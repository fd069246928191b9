import type { Refusal } from './refusal';
import { refuse } from './refusal';
import type { LifecycleJob } from './rules';
import { isTenantId } from './tenant';

const ARCHIVE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

export function jobBody(job: LifecycleJob): string {
  return JSON.stringify({
    type: job.type,
    tenantId: job.tenantId,
    version: job.version,
    archiveId: job.archiveId,
    ...(job.claim === undefined ? {} : { claim: job.claim }),
  });
}

/** Parses a queue message body into a job of the expected type, or a refusal naming the field. */
export function parseJob(
  body: string | undefined,
  expected: LifecycleJob['type'],
): LifecycleJob | Refusal {
  let value: unknown;
  try {
    value = JSON.parse(body ?? '');
  } catch {
    return refuse(
      'INVALID_INPUT',
      'message body is not JSON: expected {"type","tenantId","version","archiveId"}',
      {
        field: 'body',
      },
    );
  }
  if (typeof value !== 'object' || value === null) {
    return refuse('INVALID_INPUT', 'message body is not a JSON object', { field: 'body' });
  }
  const v = value as Record<string, unknown>;
  if (v.type !== expected) {
    return refuse('INVALID_INPUT', `field type must be "${expected}" on this queue's worker`, {
      field: 'type',
    });
  }
  if (!isTenantId(v.tenantId)) {
    return refuse('INVALID_INPUT', 'field tenantId is missing or malformed', { field: 'tenantId' });
  }
  if (typeof v.version !== 'number' || !Number.isInteger(v.version) || v.version < 1) {
    return refuse('INVALID_INPUT', 'field version must be a whole number >= 1', {
      field: 'version',
    });
  }
  if (typeof v.archiveId !== 'string' || !ARCHIVE_ID.test(v.archiveId)) {
    return refuse('INVALID_INPUT', 'field archiveId is missing or malformed', {
      field: 'archiveId',
    });
  }
  if (
    v.claim !== undefined &&
    (typeof v.claim !== 'number' || !Number.isInteger(v.claim) || v.claim < 1)
  ) {
    return refuse('INVALID_INPUT', 'field claim, when present, must be a whole number >= 1', {
      field: 'claim',
    });
  }
  return {
    type: expected,
    tenantId: v.tenantId,
    version: v.version,
    archiveId: v.archiveId,
    ...(v.claim === undefined ? {} : { claim: v.claim as number }),
  };
}
