/**
 * Deterministic physical names, `<app>-<env>-<region>-<purpose>`, for anything another region or
 * account must point at (backup vaults, replica buckets, KMS aliases). Referenced by name or ARN,
 * never by a cross-region construct reference.
 */
export class ResourceNames {
  constructor(
    readonly app: string,
    readonly envName: string,
    readonly region: string,
  ) {}

  /** `logi-prod-ap-southeast-2-files` */
  physical(purpose: string): string {
    return `${this.app}-${this.envName}-${this.region}-${purpose}`;
  }

  /** `alias/logi-prod-ap-southeast-2-logs` */
  keyAlias(purpose: string): string {
    return `alias/${this.physical(purpose)}`;
  }

  /** The same names in another region of the environment. */
  inRegion(region: string): ResourceNames {
    return new ResourceNames(this.app, this.envName, region);
  }
}
