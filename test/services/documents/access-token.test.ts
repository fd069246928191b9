import type { JWTVerifyGetKey } from 'jose';
import { accessTokenVerifier, remoteKeys } from '../../../services/documents/src/auth/access-token';
import { CLIENT_ID, ISSUER, LocalPool } from './support/local-jwks';

/**
 * The verifier keeps tokens it has verified until they expire, so a client's repeated requests
 * cost one RSA verification; the cache must never accept what a verification would refuse.
 */
let pool: LocalPool;
beforeAll(async () => {
  pool = await LocalPool.start();
});
afterAll(async () => {
  await pool.stop();
});

const RULES = { issuer: ISSUER, clientIds: [CLIENT_ID] };

/** The pool's keys, counting how many verifications asked for one. */
function countingKeys(): { keys: JWTVerifyGetKey; lookups: () => number } {
  const remote = remoteKeys(pool.jwksUrl);
  let lookups = 0;
  const keys: JWTVerifyGetKey = (header, token) => {
    lookups += 1;
    return remote(header, token);
  };
  return { keys, lookups: () => lookups };
}

test('a token verified once is accepted again without another signature verification', async () => {
  const { keys, lookups } = countingKeys();
  const verify = accessTokenVerifier(RULES, keys);
  const bearer = `Bearer ${await pool.token('acme')}`;
  for (let i = 0; i < 3; i++) {
    expect(await verify(bearer)).toMatchObject({ ok: true, caller: { tenantId: 'acme' } });
  }
  expect(lookups()).toBe(1);
});

test('a cached token is refused once it expires, as a verification would refuse it', async () => {
  const { keys } = countingKeys();
  let clock = Date.now();
  const verify = accessTokenVerifier(RULES, keys, { now: () => clock });
  const bearer = `Bearer ${await pool.token('acme', {}, { expiresIn: 60 })}`;
  expect((await verify(bearer)).ok).toBe(true);
  clock += 61_000 + 5_000; // past exp and the clock tolerance
  expect(await verify(bearer)).toEqual({ ok: false, reason: 'token expired' });
});

test('a refused token is never kept: a bad signature is refused every time, and checked every time', async () => {
  const { keys, lookups } = countingKeys();
  const verify = accessTokenVerifier(RULES, keys);
  const bearer = `Bearer ${await pool.token('acme', {}, { rogue: true })}`;
  expect(await verify(bearer)).toEqual({ ok: false, reason: 'bad signature' });
  expect(await verify(bearer)).toEqual({ ok: false, reason: 'bad signature' });
  expect(lookups()).toBe(2);
});

test('the claim checks still run on a cached token (another client id is refused)', async () => {
  const { keys } = countingKeys();
  const verify = accessTokenVerifier(RULES, keys);
  const other = `Bearer ${await pool.token('acme', { client_id: 'someone-else' })}`;
  expect(await verify(other)).toEqual({ ok: false, reason: 'token of another client' });
  expect(await verify(other)).toEqual({ ok: false, reason: 'token of another client' });
});

test('the cache is bounded: beyond its size the oldest token is verified again', async () => {
  const { keys, lookups } = countingKeys();
  const verify = accessTokenVerifier(RULES, keys, { cacheSize: 2 });
  const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((t) => pool.token(`tenant-${t}`)));
  for (const token of [a, b, c]) await verify(`Bearer ${token}`);
  expect(lookups()).toBe(3);
  await verify(`Bearer ${c}`); // kept
  expect(lookups()).toBe(3);
  await verify(`Bearer ${a}`); // dropped when c came in
  expect(lookups()).toBe(4);
});
