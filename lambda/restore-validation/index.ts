import { BackupClient } from '@aws-sdk/client-backup';
import { RDSClient } from '@aws-sdk/client-rds';
import { S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { readEnvironment } from '../shared/contract';
import { startInvocation } from '../shared/observability/log-context';
import { contract } from './contract';
import { failedValidationMetric } from './metrics';
import { pgQuery } from './pg-query';
import type { ValidationSettings } from './settings';
import { parseTrigger } from './trigger';
import { validate } from './validation';

/**
 * Validates what AWS Backup restore testing restored (see validation.ts), triggered by EventBridge
 * on restore-job completion and on the creation of the instance it adds to a restored cluster.
 * Settings are checked at init (contract.ts): a bad environment fails the first invocation with
 * every problem.
 */
const logger = new Logger({ serviceName: contract.name });
const env = readEnvironment(contract, process.env);
const settings: ValidationSettings = {
  restoreTestingPlanArn: env.RESTORE_TESTING_PLAN_ARN,
  instanceClass: env.INSTANCE_CLASS,
  database: env.DB_NAME,
  user: env.DB_USER,
  region: env.AWS_REGION,
};
const deps = {
  backup: new BackupClient({ region: settings.region }),
  rds: new RDSClient({ region: settings.region }),
  s3: new S3Client({ region: settings.region }),
  query: pgQuery(settings.region),
  settings,
  log: (message: string, details?: Record<string, unknown>) => logger.info(message, details ?? {}),
};

export async function handler(event: unknown, context?: Context): Promise<void> {
  startInvocation(logger, context);
  const outcome = await validate(deps, parseTrigger(event));
  logger.info('done', { outcome });
  if (outcome.action === 'reported' && outcome.status === 'FAILED') {
    // Embedded metric format: the failed-validation alarm reads this metric.
    process.stdout.write(`${failedValidationMetric(outcome.resourceType, new Date())}\n`);
  }
}
