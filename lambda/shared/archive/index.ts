export type {
  ArchiveBudget,
  ArchiveDeps,
  ArchiveLogger,
  ArchiveTuning,
  DbConnector,
  FaultHook,
  PurgeDeps,
} from './contracts';
export { ARCHIVE_STEPS, PURGE_STEPS } from './contracts';
export type { ArchiveCheckpoint, ArchiveRequest, ArchiveResult } from './archive-tenant';
export { archiveTenant } from './archive-tenant';
export type { PurgeCheckpoint, PurgeLockCheck, PurgeRequest, PurgeResult } from './purge-tenant';
export { purgeTenant } from './purge-tenant';
export type { ArchiveListing } from './archive-inspect';
export { inspectTenantArchives } from './archive-inspect';
export type { ArchiveErrorCode } from './errors';
export { ArchiveError, isArchiveError } from './errors';
export type { ArchiveManifest } from './manifest';
export { readManifest } from './manifest';
export type { ArchiveEnvironment, PurgeEnvironment } from './deps';
export { createArchiveDeps, createPurgeDeps } from './deps';
