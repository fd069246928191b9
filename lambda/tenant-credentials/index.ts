import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
// The STS client of the SDK the runtime ships (@aws-sdk/client-sts is not a dependency yet).
import { STSClient } from '@aws-sdk/client-sts';
import { readEnvironment } from '../shared/contract';
import type { JwtRules } from '../shared/identity/jwt';
import { verifyJwt } from '../shared/identity/jwt';
import { createDocumentClient } from '../shared/tenant-registry/document-client';
import { TenantRegistry } from '../shared/tenant-registry/tenant-registry';
import { forTenant, startInvocation } from '../shared/observability/log-context';
import { contract } from './contract';
import { assumeTenantRole } from './assume-tenant-role';
import { vendCredentials } from './vend';

const logger = new Logger({ serviceName: 'tenant-credentials' });
const settings = readEnvironment(contract, process.env);
const registry = new TenantRegistry(createDocumentClient(), {
  registry: settings.TABLE_NAME,
  audit: '',
});
const sts = new STSClient({});
let keys: Promise<JwtRules['keys']> | undefined;

async function fetchKeys(): Promise<JwtRules['keys']> {
  const response = await fetch(`${settings.ISSUER}/.well-known/jwks.json`);
  if (!response.ok) throw new Error(`JWKS of ${settings.ISSUER}: HTTP ${response.status}`);
  return ((await response.json()) as { keys: JwtRules['keys'] }).keys;
}

/** Invoked directly (lambda:Invoke) by platform services with `{ "token": "<access token>" }`. */
export const handler = async (request: unknown, context?: Context) => {
  startInvocation(logger, context);
  const result = await vendCredentials(request, {
    verify: async (token) => {
      keys ??= fetchKeys().catch((error) => {
        keys = undefined;
        throw error;
      });
      return verifyJwt(token, {
        issuer: settings.ISSUER,
        audiences: settings.CLIENT_IDS.split(','),
        keys: await keys,
        tokenUse: 'access',
      });
    },
    stateOf: async (id) => (await registry.get(id))?.lifecycleState,
    assumeTenantRole: (tenantId) => assumeTenantRole(sts, settings.TENANT_ROLE_ARN, tenantId),
  });
  if (!result.ok) logger.warn('tenant credentials refused', { reason: result.reason });
  else {
    forTenant(logger, result.tenantId);
    logger.info('tenant credentials vended');
  }
  return result;
};
