import { defineContract } from '../shared/contract';
import { databaseSettings } from '../shared/database/settings';
import { runtimeRegion, text } from '../shared/environment-fields';

/**
 * The restore validation: the restore testing plan whose jobs it checks, the instance class it
 * adds to a restored cluster, and the database and role its query logs in as (IAM
 * authentication, verified TLS: hence the CA bundle).
 */
export const contract = defineContract(
  'restore-validation',
  {
    RESTORE_TESTING_PLAN_ARN: text(
      'the restore testing plan ARN',
      /^arn:aws[a-z-]*:backup:[a-z0-9-]+:\d{12}:restore-testing-plan:.+$/,
    ),
    INSTANCE_CLASS: text(
      'the instance class added to a restored cluster, such as db.t4g.medium',
      /^db\.[a-z0-9]+\.[a-z0-9]+$/,
    ),
    DB_NAME: databaseSettings.name(),
    DB_USER: databaseSettings.user(),
    NODE_EXTRA_CA_CERTS: databaseSettings.caBundle(),
    AWS_REGION: runtimeRegion,
  },
  ['AWS_REGION'],
);
