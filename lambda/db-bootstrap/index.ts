import { Logger } from '@aws-lambda-powertools/logger';
import { readEnvironment } from '../shared/contract';
import { customResourceHandler, onFirstUse } from '../shared/cfn-response';
import { bootstrapConfig } from './config';
import { awsConnectionFactory } from './connection';
import { contract } from './contract';
import { createOnEventHandler } from './on-event';

/**
 * Lambda-backed custom resource that bootstraps tenant partitioning in the database (see
 * apply.ts). Settings are read and checked through the contract (contract.ts) on the first event,
 * not at module load: a bad environment is answered FAILED with every problem listed, so the
 * deployment fails at once instead of waiting for CloudFormation's timeout.
 */
const logger = new Logger({ serviceName: contract.name });
const onEvent = onFirstUse(() => {
  const settings = readEnvironment(contract, process.env);
  const config = bootstrapConfig(settings);
  return createOnEventHandler({
    target: config,
    connect: awsConnectionFactory(config),
    log: (message, details) => logger.info(message, details ?? {}),
  });
});

export const handler = customResourceHandler((event) => onEvent()(event));
