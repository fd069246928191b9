import { BackupClient } from '@aws-sdk/client-backup';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { RDSClient } from '@aws-sdk/client-rds';
import { S3Client } from '@aws-sdk/client-s3';

/** Extra SDK settings, e.g. an emulator endpoint and fake credentials in tests. */
export interface ClientSettings {
  readonly endpoint?: string;
  readonly forcePathStyle?: boolean;
  readonly credentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * SDK v3 clients per region, created on first use. Credentials come from the normal AWS
 * environment (profile, SSO, role) unless settings override them.
 */
export class AwsClients {
  private readonly cache = new Map<string, unknown>();

  constructor(private readonly settings: ClientSettings = {}) {}

  rds(region: string): RDSClient {
    return this.get('rds', region, () => new RDSClient({ ...this.settings, region }));
  }

  backup(region: string): BackupClient {
    return this.get('backup', region, () => new BackupClient({ ...this.settings, region }));
  }

  s3(region: string): S3Client {
    return this.get('s3', region, () => new S3Client({ ...this.settings, region }));
  }

  cloudWatch(region: string): CloudWatchClient {
    return this.get('cloudwatch', region, () => new CloudWatchClient({ ...this.settings, region }));
  }

  private get<T>(service: string, region: string, create: () => T): T {
    const key = `${service}:${region}`;
    if (!this.cache.has(key)) this.cache.set(key, create());
    return this.cache.get(key) as T;
  }
}
