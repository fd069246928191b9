import { defineContract } from '../shared/contract';
import { databaseSettings } from '../shared/database/settings';
import { runtimeRegion, text } from '../shared/environment-fields';

const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;

/**
 * The tenant-partitioning bootstrap: the cluster writer it connects to (IAM authentication,
 * verified TLS: hence the CA bundle) and the master secret it uses on the first deployment only.
 */
export const contract = defineContract(
  'db-bootstrap',
  {
    DB_HOST: databaseSettings.host(),
    DB_PORT: databaseSettings.port(),
    DB_NAME: databaseSettings.name(),
    MASTER_SECRET_ARN: text(
      "the ARN of the cluster master user's Secrets Manager secret",
      SECRET_ARN,
    ),
    NODE_EXTRA_CA_CERTS: databaseSettings.caBundle(),
    AWS_REGION: runtimeRegion,
  },
  ['AWS_REGION'],
);
