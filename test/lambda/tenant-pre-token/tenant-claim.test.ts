import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { addTenantClaim } from '../../../lambda/tenant-pre-token/tenant-claim';

const event = (attributes: Record<string, string>) =>
  ({
    triggerSource: 'TokenGeneration_Authentication',
    request: { userAttributes: attributes, scopes: [] },
    response: {},
  }) as unknown as PreTokenGenerationV2TriggerEvent;

describe('addTenantClaim', () => {
  it('sets tenant_id in ID and access tokens for a user of an ACTIVE tenant, and adds no scope', async () => {
    const out = await addTenantClaim(event({ 'custom:tenant_id': 'acme' }), async () => 'ACTIVE');
    expect(out.response.claimsAndScopeOverrideDetails).toEqual({
      idTokenGeneration: { claimsToAddOrOverride: { tenant_id: 'acme' } },
      accessTokenGeneration: { claimsToAddOrOverride: { tenant_id: 'acme' } },
    });
  });
  it.each(['DEACTIVATED', 'ARCHIVING', 'ARCHIVED', 'PURGED', undefined] as const)(
    'refuses the token while the tenant is %s',
    async (state) => {
      await expect(
        addTenantClaim(event({ 'custom:tenant_id': 'acme' }), async () => state as never),
      ).rejects.toThrow(/token refused: tenant acme is .*, not ACTIVE/);
    },
  );
  it('refuses a user without a valid custom:tenant_id', async () => {
    for (const attributes of [{}, { 'custom:tenant_id': '../b' }] as Record<string, string>[]) {
      await expect(addTenantClaim(event(attributes), async () => 'ACTIVE')).rejects.toThrow(
        /no valid custom:tenant_id/,
      );
    }
  });
});
