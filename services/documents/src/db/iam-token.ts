import { Signer } from '@aws-sdk/rds-signer';
import type { ServiceConfig } from '../config';
import type { PasswordSource } from './database';

/**
 * IAM database authentication: an RDS auth token (valid 15 minutes) signed with the task role's
 * credentials, asked for each new connection. `app_user` has no password at all.
 */
export function iamTokenSource(config: ServiceConfig['database'], region: string): PasswordSource {
  const signer = new Signer({
    hostname: config.host,
    port: config.port,
    username: config.user,
    region,
  });
  return () => signer.getAuthToken();
}
