export * from './errors';
export * from './terminal';
export * from './aws-clients';
export * from './runtime';
export * from './target';
export * from './input';
export * from './confirmation';
export * from './progress';
export * from './api-calls';
export { listPoints, parseResource, RESOURCES } from './points';
export type { PointsOptions, RecoveryPointRow, ResourceKind } from './points';
export { restoreDb } from './restore-db';
export type { RestoreDbOptions, RestoreDbResult } from './restore-db';
export { restoreFiles } from './restore-files';
export type { RestoreFilesOptions, RestoreFilesSummary } from './restore-files';
export { failbackFiles, FAILBACK_BUCKETS } from './failback-files';
export type {
  FailbackBucketSummary,
  FailbackFilesOptions,
  FailbackFilesSummary,
} from './failback-files';
export { failover } from './failover';
export type { FailoverOptions, FailoverResult } from './failover';
export { DEFAULT_MAX_LAG_MS } from './failover-preflight';
export { planKey } from './version-plan';
export type { KeyHistory, KeyPlan, VersionEntry } from './version-plan';
