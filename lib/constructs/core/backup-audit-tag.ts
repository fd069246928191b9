/**
 * The tag that scopes the resource-level audit controls to the resources this region's plan
 * protects (Backup Audit Manager scopes by one tag, a resource type or a Config resource id; the
 * Aurora cluster's Config id is its generated resource id, unknown here).
 */
export const BACKUP_AUDIT_TAG = { key: 'backup-audit', value: 'protected' } as const;
