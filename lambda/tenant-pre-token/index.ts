import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { readEnvironment } from '../shared/contract';
import { createDocumentClient } from '../shared/tenant-registry/document-client';
import { TenantRegistry } from '../shared/tenant-registry/tenant-registry';
import { startInvocation } from '../shared/observability/log-context';
import { contract } from './contract';
import { addTenantClaim, TokenRefused } from './tenant-claim';

const logger = new Logger({ serviceName: 'tenant-pre-token' });
const settings = readEnvironment(contract, process.env);
const registry = new TenantRegistry(createDocumentClient(), {
  registry: settings.TABLE_NAME,
  audit: '',
});

export const handler = async (
  event: PreTokenGenerationV2TriggerEvent,
  context?: Context,
): Promise<PreTokenGenerationV2TriggerEvent> => {
  startInvocation(logger, context);
  try {
    return await addTenantClaim(event, async (id) => (await registry.get(id))?.lifecycleState);
  } catch (error) {
    if (error instanceof TokenRefused) {
      logger.warn('tenant token refused', {
        reason: error.message,
        trigger: event.triggerSource,
        clientId: event.callerContext?.clientId,
      });
    }
    throw error;
  }
};
