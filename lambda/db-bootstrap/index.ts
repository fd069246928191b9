import { Logger } from '@aws-lambda-powertools/logger';
import { readEnvironment } from '../shared/contract';
import { customResourceHandler } from '../shared/cfn-response';
import type { BootstrapConfig } from './config';
import { awsConnectionFactory } from './connection';
import { contract } from './contract';
import { createOnEventHandler } from './on-event';

/**
 * Lambda-backed custom resource that bootstraps tenant partitioning in the
 * database (see apply.ts). Settings are read and checked at init (contract.ts): a bad environment
 * fails the first invocation with every problem listed.
 */
const logger = new Logger({ serviceName: contract.name });
const settings = readEnvironment(contract, process.env);
const config: BootstrapConfig = {
  host: settings.DB_HOST,
  port: settings.DB_PORT,
  database: settings.DB_NAME,
  masterSecretArn: settings.MASTER_SECRET_ARN,
  region: settings.AWS_REGION,
};

export const handler = customResourceHandler(
  createOnEventHandler({
    target: config,
    connect: awsConnectionFactory(config),
    log: (message, details) => logger.info(message, details ?? {}),
  }),
);
