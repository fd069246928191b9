/**
 * Deterministic physical names, `<app>-<env>-<region>-<purpose>`, for anything another region,
 * account or tool must point at (backup vaults, replica buckets, KMS aliases, clusters). Referenced
 * by name or ARN, never by a cross-region construct reference. The on-call CLI and the lifecycle
 * workers find resources by these names too.
 */
export class ResourceNames {
  constructor(
    readonly app: string,
    readonly envName: string,
    readonly region: string,
  ) {}

  /** `logi-prod-ap-southeast-2-<purpose>` */
  physical(purpose: string): string {
    return `${this.app}-${this.envName}-${this.region}-${purpose}`;
  }

  /** Names shared by both regions of an environment: `logi-prod-<purpose>`. */
  environmentWide(purpose: string): string {
    return `${this.app}-${this.envName}-${purpose}`;
  }

  /** `alias/logi-prod-ap-southeast-2-<purpose>` */
  keyAlias(purpose: 'logs' | 'database' | 'files' | 'backup' | 'archive' | string): string {
    return `alias/${this.physical(purpose)}`;
  }

  /** The same names in another region of the environment. */
  inRegion(region: string): ResourceNames {
    return new ResourceNames(this.app, this.envName, region);
  }

  /** Regional Aurora cluster identifier. */
  get auroraCluster(): string {
    return this.physical('aurora');
  }

  /** Aurora global cluster identifier (one per environment). */
  get globalCluster(): string {
    return this.environmentWide('global-aurora');
  }

  /** Tenants' files bucket (the secondary region's is its replica). */
  get filesBucket(): string {
    return this.physical('files');
  }

  /** Server access logs of this region's buckets. */
  get accessLogsBucket(): string {
    return this.physical('access-logs');
  }

  /** Archive of closed tenants (the secondary region's is its replica). */
  get archiveBucket(): string {
    return this.physical('archive');
  }

  /** AWS Backup vault of this region. */
  get backupVault(): string {
    return this.physical('vault');
  }

  /** Tenant registry: a DynamoDB global table, same name in both regions. */
  get tenantTable(): string {
    return this.environmentWide('tenants');
  }

  /** On-call SNS topic of this region. */
  get onCallTopic(): string {
    return this.physical('oncall');
  }

  /** On-call SNS topic of this region for security alerts. */
  get onCallSecurityTopic(): string {
    return this.physical('oncall-security');
  }
}
