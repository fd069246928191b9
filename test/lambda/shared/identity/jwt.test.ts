import { verifyJwt } from '../../../../lambda/shared/identity/jwt';
import { signingKey } from '../../../isolation/support/local-cognito';

const ISSUER = 'https://cognito-idp.ap-southeast-2.amazonaws.com/ap-southeast-2_pool';
const key = signingKey('k1');
const now = Math.floor(Date.now() / 1000);
const base = {
  iss: ISSUER,
  client_id: 'client1',
  token_use: 'access',
  scope: 'https://api.example.com/tenants.admin',
  iat: now,
  exp: now + 300,
};
const rules = { issuer: ISSUER, audiences: ['client1'], keys: [key.jwk] };

describe('verifyJwt', () => {
  it('accepts a token of the issuer for an accepted client, with a required scope', () => {
    expect(
      verifyJwt(key.sign(base), { ...rules, scopes: ['https://api.example.com/tenants.admin'] }),
    ).toMatchObject({ ok: true, claims: { client_id: 'client1' } });
  });
  it.each([
    ['wrong issuer', { iss: `${ISSUER}x` }, {}],
    ['expired', { exp: now - 1 }, {}],
    ['wrong audience', { client_id: 'other' }, {}],
    [
      'insufficient scope',
      { scope: 'openid' },
      { scopes: ['https://api.example.com/tenants.admin'] },
    ],
    ['wrong token use', { token_use: 'id' }, { tokenUse: 'access' as const }],
  ])('refuses: %s', (reason, claims, extra) => {
    expect(verifyJwt(key.sign({ ...base, ...claims }), { ...rules, ...extra })).toEqual({
      ok: false,
      reason,
    });
  });
  it('refuses a token signed by another key with the same kid, and a tampered body', () => {
    const forged = signingKey('k1').sign(base);
    expect(verifyJwt(forged, rules)).toEqual({ ok: false, reason: 'bad signature' });
    const [h, , s] = key.sign(base).split('.');
    const body = Buffer.from(
      JSON.stringify({ ...base, client_id: 'client1', scope: 'x' }),
    ).toString('base64url');
    expect(verifyJwt(`${h}.${body}.${s}`, rules)).toEqual({ ok: false, reason: 'bad signature' });
  });
  it('refuses alg none and garbage', () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', kid: 'k1' })).toString('base64url');
    const body = Buffer.from(JSON.stringify(base)).toString('base64url');
    expect(verifyJwt(`${header}.${body}.`, rules)).toEqual({
      ok: false,
      reason: 'algorithm none is not RS256',
    });
    expect(verifyJwt('not-a-jwt', rules)).toEqual({ ok: false, reason: 'not a JWT' });
  });
});
