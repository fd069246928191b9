/**
 * What woke the function: an AWS Backup restore job that completed, or the creation of the
 * instance this function added to a restored cluster that had none.
 */
export type Trigger =
  | { readonly kind: 'restore-job'; readonly restoreJobId: string }
  | { readonly kind: 'instance-created'; readonly instanceId: string }
  | { readonly kind: 'unknown'; readonly reason: string };

/** Prefix of the instances this function creates; the RDS event rule matches it. */
export const INSTANCE_PREFIX = 'restore-validation-';

interface EventLike {
  readonly source?: unknown;
  readonly 'detail-type'?: unknown;
  readonly detail?: Record<string, unknown>;
}

/** Classify an EventBridge event; never throws. */
export function parseTrigger(event: unknown): Trigger {
  const e = (event ?? {}) as EventLike;
  const detail = e.detail ?? {};
  if (e.source === 'aws.backup' && e['detail-type'] === 'Restore Job State Change') {
    const id = detail.restoreJobId;
    return typeof id === 'string' && id
      ? { kind: 'restore-job', restoreJobId: id }
      : { kind: 'unknown', reason: 'restore job event without restoreJobId' };
  }
  if (e.source === 'aws.rds' && e['detail-type'] === 'RDS DB Instance Event') {
    const id = detail.SourceIdentifier;
    return typeof id === 'string' && id.startsWith(INSTANCE_PREFIX)
      ? { kind: 'instance-created', instanceId: id }
      : { kind: 'unknown', reason: `instance event for ${String(id)}, not one of ours` };
  }
  return {
    kind: 'unknown',
    reason: `unexpected event ${String(e.source)} / ${String(e['detail-type'])}`,
  };
}

/** `restore-validation-<job id>`: a valid DB instance identifier (letters, digits, hyphens, <= 63). */
export function instanceIdFor(restoreJobId: string): string {
  const tail = restoreJobId
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  return `${INSTANCE_PREFIX}${tail}`.slice(0, 63).replace(/-$/, '');
}
