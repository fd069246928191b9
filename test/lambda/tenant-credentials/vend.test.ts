import { sessionTags, vendCredentials } from '../../../lambda/tenant-credentials/vend';

const credentials = { accessKeyId: 'a', secretAccessKey: 's', sessionToken: 't', expiration: 'e' };

function deps(claims: Record<string, unknown> | undefined, state = 'ACTIVE' as const) {
  const assumed: string[] = [];
  return {
    assumed,
    deps: {
      verify: async () =>
        claims ? { ok: true as const, claims } : { ok: false as const, reason: 'bad signature' },
      stateOf: async () => state,
      assumeTenantRole: async (tenantId: string) => {
        assumed.push(tenantId);
        return credentials;
      },
    },
  };
}

describe('vendCredentials', () => {
  it('assumes the role for the token’s tenant and ignores any tenant in the request', async () => {
    const { deps: d, assumed } = deps({ tenant_id: 'acme' });
    expect(await vendCredentials({ token: 't', tenantId: 'other' }, d)).toEqual({
      ok: true,
      tenantId: 'acme',
      credentials,
    });
    expect(assumed).toEqual(['acme']);
    expect(sessionTags('acme')).toEqual([{ Key: 'tenant-id', Value: 'acme' }]);
  });
  it('refuses a missing token, a bad token, a token without the claim and a tenant not ACTIVE', async () => {
    expect(await vendCredentials({}, deps({ tenant_id: 'acme' }).deps)).toMatchObject({
      ok: false,
    });
    expect(await vendCredentials({ token: 't' }, deps(undefined).deps)).toMatchObject({
      ok: false,
      reason: 'token rejected: bad signature',
    });
    expect(await vendCredentials({ token: 't' }, deps({ sub: 'x' }).deps)).toMatchObject({
      ok: false,
      reason: 'token has no tenant_id claim',
    });
    const deactivated = deps({ tenant_id: 'acme' }, 'DEACTIVATED' as never);
    expect(await vendCredentials({ token: 't' }, deactivated.deps)).toMatchObject({ ok: false });
    expect(deactivated.assumed).toEqual([]);
  });
});
