import type { JWTVerifyGetKey } from 'jose';
import { createRemoteJWKSet, errors, jwtVerify } from 'jose';

/** The tenant claim the pool's pre-token-generation trigger sets (never the caller). */
export const TENANT_CLAIM = 'tenant_id';

/** Tenant ids as the registry spells them (lambda/shared/lifecycle/tenant.ts). */
export const TENANT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** Who is calling, from a verified access token: the tenant and the user's pseudonymous id. */
export interface Caller {
  readonly tenantId: string;
  readonly sub: string;
  /** The verified token itself: the vending function is given it (never logged). */
  readonly accessToken: string;
}

export type TokenCheck =
  | { readonly ok: true; readonly caller: Caller }
  | { readonly ok: false; readonly reason: string };

export interface TokenRules {
  /** The tenant pool's issuer (`iss`). */
  readonly issuer: string;
  /** The tenant app clients whose access tokens are accepted (`client_id`). */
  readonly clientIds: readonly string[];
}

/** The pool's keys, fetched from its JWKS URL, cached, refetched for an unknown `kid`. */
export function remoteKeys(jwksUrl: string): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(jwksUrl), {
    timeoutDuration: 3_000,
    cooldownDuration: 30_000,
    cacheMaxAge: 3_600_000,
  });
}

/**
 * Verifies a tenant user's access token as API Gateway's JWT authorizer would, and then some:
 * RS256 signature by a key of the pool's JWKS, `iss` the pool, `exp` in the future (`nbf`, `iat`
 * not in the future), `token_use` `access`, `client_id` a tenant client, no operator scope, and a
 * well-formed `tenant_id` claim. The tenant comes from that claim only.
 */
export function accessTokenVerifier(
  rules: TokenRules,
  keys: JWTVerifyGetKey,
  options: VerifierOptions = {},
): (authorization: string | undefined) => Promise<TokenCheck> {
  const now = options.now ?? Date.now;
  const verified = new VerifiedTokens(options.cacheSize ?? 10_000);
  return async (authorization) => {
    const token = /^Bearer ([A-Za-z0-9._-]+)$/.exec(authorization ?? '')?.[1];
    if (!token) return { ok: false, reason: 'no bearer token in the Authorization header' };
    let claims = verified.get(token, now());
    if (!claims) {
      try {
        ({ payload: claims } = await jwtVerify(token, keys, {
          issuer: rules.issuer,
          algorithms: ['RS256'],
          requiredClaims: ['exp', 'sub', 'client_id', 'token_use'],
          clockTolerance: 5,
          currentDate: new Date(now()),
        }));
      } catch (error) {
        return { ok: false, reason: reasonOf(error) };
      }
      verified.remember(token, claims);
    }
    if (claims.token_use !== 'access') return { ok: false, reason: 'not an access token' };
    if (typeof claims.client_id !== 'string' || !rules.clientIds.includes(claims.client_id)) {
      return { ok: false, reason: 'token of another client' };
    }
    const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
    if (scopes.some((s) => s.slice(s.lastIndexOf('/') + 1).startsWith('tenants.'))) {
      return { ok: false, reason: 'an operator token is not a tenant context' };
    }
    const tenantId = claims[TENANT_CLAIM];
    if (typeof tenantId !== 'string' || !TENANT_ID_PATTERN.test(tenantId)) {
      return { ok: false, reason: `token has no valid ${TENANT_CLAIM} claim` };
    }
    return { ok: true, caller: { tenantId, sub: String(claims.sub), accessToken: token } };
  };
}

export interface VerifierOptions {
  /** Tokens whose signature and claims were verified, kept until they expire. @default 10,000 */
  readonly cacheSize?: number;
  /** The clock (ms since the epoch). @default Date.now */
  readonly now?: () => number;
}

/**
 * Tokens already verified (signature, issuer, times), by their exact text: a client sends the same
 * access token on every request for up to an hour, and the same bytes verify the same way, so the
 * RSA verification (a tenth of a request's CPU) runs once per token. An entry is used only before
 * the token's `exp` (the verification after it applies the clock tolerance and says "expired");
 * only verified tokens are kept, at most `size`, the oldest dropped first. A key removed from the
 * pool's JWKS stops new tokens at once; tokens it signed earlier live to their `exp`, as they would
 * with the JWKS cache alone (an hour). The claim checks below run on every request.
 */
class VerifiedTokens {
  private readonly tokens = new Map<string, { claims: Record<string, unknown>; until: number }>();

  constructor(private readonly size: number) {}

  get(token: string, now: number): Record<string, unknown> | undefined {
    const entry = this.tokens.get(token);
    if (!entry) return undefined;
    if (now < entry.until) return entry.claims;
    this.tokens.delete(token);
    return undefined;
  }

  remember(token: string, claims: Record<string, unknown>): void {
    if (this.size <= 0 || typeof claims.exp !== 'number') return;
    if (this.tokens.size >= this.size) {
      this.tokens.delete(this.tokens.keys().next().value as string);
    }
    this.tokens.set(token, { claims, until: claims.exp * 1000 });
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'token expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `claim ${error.claim} is invalid`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad signature';
  if (error instanceof errors.JWKSNoMatchingKey) return 'unknown signing key';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'algorithm not allowed';
  // The keys could not be fetched: not the caller's fault, answered 500 and logged.
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) throw error;
  if (error instanceof errors.JOSEError) return `token rejected (${error.code})`;
  throw error; // not a token problem (e.g. the JWKS could not be fetched): a 500, logged
}
