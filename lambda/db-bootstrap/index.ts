import { Logger } from '@aws-lambda-powertools/logger';
import { customResourceHandler } from '../shared/cfn-response';
import { readConfig } from './config';
import { awsConnectionFactory } from './connection';
import { createOnEventHandler } from './on-event';

/**
 * Lambda-backed custom resource that bootstraps tenant partitioning in the
 * database (see apply.ts). Configuration is read and checked at init: a bad environment fails the
 * first invocation with every problem listed.
 */
const logger = new Logger({ serviceName: 'db-bootstrap' });
const config = readConfig(process.env);

export const handler = customResourceHandler(
  createOnEventHandler({
    target: config,
    connect: awsConnectionFactory(config),
    log: (message, details) => logger.info(message, details ?? {}),
  }),
);
