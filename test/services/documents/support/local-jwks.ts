import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CryptoKey, JWK } from 'jose';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

/** The tenant pool's issuer as the service is configured with it. */
export const ISSUER = 'https://cognito-idp.ap-southeast-2.amazonaws.com/ap-southeast-2_Tenants';
export const CLIENT_ID = 'tenantmobileclient';

/**
 * A local stand-in for the tenant pool: its RS256 key, its JWKS served over HTTP on loopback (the
 * service fetches it as it would Cognito's), and tokens shaped as Cognito access tokens with the
 * `tenant_id` claim the pre-token trigger adds. `rogue` signs with a key the JWKS does not have.
 */
export class LocalPool {
  private constructor(
    private readonly key: CryptoKey,
    private readonly rogue: CryptoKey,
    private readonly server: Server,
    readonly jwksUrl: string,
  ) {}

  static async start(): Promise<LocalPool> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const rogue = (await generateKeyPair('RS256')).privateKey;
    const jwk: JWK = {
      ...(await exportJWK(publicKey)),
      kid: 'pool-key-1',
      alg: 'RS256',
      use: 'sig',
    };
    const body = JSON.stringify({ keys: [jwk] });
    const server = createServer((request, response) => {
      if (request.url !== '/.well-known/jwks.json') return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
    return new LocalPool(privateKey, rogue, server, url);
  }

  /** An access token of a tenant user; `overrides` change or remove (undefined) claims. */
  async token(
    tenantId: string | undefined,
    overrides: Record<string, unknown> = {},
    options: { rogue?: boolean; expiresIn?: number } = {},
  ): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = {
      sub: `user-of-${tenantId ?? 'nobody'}`,
      iss: ISSUER,
      client_id: CLIENT_ID,
      token_use: 'access',
      scope: 'openid',
      tenant_id: tenantId,
      iat: now,
      exp: now + (options.expiresIn ?? 3600),
      ...overrides,
    };
    for (const [k, v] of Object.entries(claims)) if (v === undefined) delete claims[k];
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'pool-key-1', typ: 'JWT' })
      .sign(options.rogue ? this.rogue : this.key);
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server.close(resolve));
  }
}
