import { createHash } from 'node:crypto';

/**
 * The archive id of one closure: derived from the tenant id and the deactivation instant, so
 * every claim, re-claim and rerun of the same closure names the same archive. A later closure
 * (after a reactivation) has another deactivation instant and so another id.
 * Shape: `<yyyymmddThhmmssZ>-<16 hex>`, safe as one S3 path segment.
 */
export function deriveArchiveId(tenantId: string, deactivatedAt: string): string {
  const stamp = deactivatedAt.replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
  const digest = createHash('sha256')
    .update(`${tenantId}\n${deactivatedAt}`)
    .digest('hex')
    .slice(0, 16);
  return `${stamp}-${digest}`;
}
