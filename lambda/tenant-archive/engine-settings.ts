import type { ArchiveEnvironment } from '../shared/archive/deps';
import type { SettingsOf } from '../shared/contract';
import type { contract } from './contract';

/**
 * The archive engine's settings from the worker's contract (the handler's, and the TLS test's:
 * test/lambda/shared/database). NODE_EXTRA_CA_CERTS is not among them: Node reads it itself at
 * start-up; the contract only makes it required.
 */
export function engineSettings(settings: SettingsOf<typeof contract>): ArchiveEnvironment {
  return {
    region: settings.AWS_REGION,
    dbHost: settings.DB_HOST,
    dbPort: settings.DB_PORT,
    dbName: settings.DB_NAME,
    dbUser: settings.DB_USER,
    filesBucket: settings.FILES_BUCKET,
    filesReplicaBucket: settings.FILES_REPLICA_BUCKET,
    filesReplicaRegion: settings.FILES_REPLICA_REGION,
    archiveBucket: settings.ARCHIVE_BUCKET,
  };
}
