import { Logger } from '@aws-lambda-powertools/logger';
import { readConfig } from './config';
import { awsConnectionFactory } from './connection';
import { createOnEventHandler } from './on-event';

/**
 * `onEvent` of the CDK custom-resource Provider that bootstraps tenant partitioning in the
 * database (see apply.ts). Configuration is read and checked at init: a bad environment fails the
 * first invocation with every problem listed.
 */
const logger = new Logger({ serviceName: 'db-bootstrap' });
const config = readConfig(process.env);

export const handler = createOnEventHandler({
  target: config,
  connect: awsConnectionFactory(config),
  log: (message, details) => logger.info(message, details ?? {}),
});
