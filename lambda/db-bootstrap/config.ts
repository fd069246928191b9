import type { SettingsOf } from '../shared/contract';
import type { contract } from './contract';

/** What the bootstrap core needs, read at init from the contract (see contract.ts). */
export interface BootstrapConfig {
  /** Writer endpoint of the cluster (`DB_HOST`). */
  readonly host: string;
  /** `DB_PORT`. */
  readonly port: number;
  /** Database to bootstrap (`DB_NAME`). */
  readonly database: string;
  /** ARN of the master user's secret, used only on the first deployment (`MASTER_SECRET_ARN`). */
  readonly masterSecretArn: string;
  /** Region of the cluster, for signing IAM auth tokens (`AWS_REGION`, set by Lambda). */
  readonly region: string;
}

/** The bootstrap's settings from its contract (the handler's, and the TLS test's). */
export function bootstrapConfig(settings: SettingsOf<typeof contract>): BootstrapConfig {
  return {
    host: settings.DB_HOST,
    port: settings.DB_PORT,
    database: settings.DB_NAME,
    masterSecretArn: settings.MASTER_SECRET_ARN,
    region: settings.AWS_REGION,
  };
}
