import { createPublicKey, createVerify } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';

/**
 * An RS256 JWT verifier with the rules of API Gateway's HTTP API JWT authorizer (and of Cognito's
 * own guidance): signature by a key of the issuer's JWKS (by `kid`), `iss` equal to the issuer,
 * `aud` (ID tokens) or `client_id` (access tokens) one of the audiences, `exp` in the future and
 * `nbf`/`iat` not in the future, and, when scopes are required, at least one of them in `scope`.
 * Pure: the JWKS is given, nothing is fetched.
 */
export interface JwtRules {
  /** The issuer, e.g. `https://cognito-idp.<region>.amazonaws.com/<pool id>`. */
  readonly issuer: string;
  /** Accepted audiences (app client ids). */
  readonly audiences: readonly string[];
  /** The issuer's public keys (`keys` of its `/.well-known/jwks.json`). */
  readonly keys: readonly (JsonWebKey & { kid?: string })[];
  /** Any one of these scopes is required. @default none required */
  readonly scopes?: readonly string[];
  /** `token_use` required (Cognito: `access` or `id`). @default either */
  readonly tokenUse?: 'access' | 'id';
  /** @default the current time */
  readonly now?: Date;
}

export type Claims = Readonly<Record<string, unknown>>;

export type Verification =
  | { readonly ok: true; readonly claims: Claims }
  | { readonly ok: false; readonly reason: string };

function decodePart(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

const refuse = (reason: string): Verification => ({ ok: false, reason });

export function verifyJwt(token: string, rules: JwtRules): Verification {
  const parts = typeof token === 'string' ? token.split('.') : [];
  if (parts.length !== 3) return refuse('not a JWT');
  const header = decodePart(parts[0]);
  const claims = decodePart(parts[1]);
  if (!header || !claims) return refuse('malformed JWT');
  if (header.alg !== 'RS256') return refuse(`algorithm ${String(header.alg)} is not RS256`);
  const jwk = rules.keys.find((k) => k.kid === header.kid);
  if (!jwk) return refuse('unknown signing key');
  const verifier = createVerify('RSA-SHA256');
  verifier.update(`${parts[0]}.${parts[1]}`);
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  if (!verifier.verify(key, Buffer.from(parts[2], 'base64url'))) return refuse('bad signature');

  const now = Math.floor((rules.now ?? new Date()).getTime() / 1000);
  if (claims.iss !== rules.issuer) return refuse('wrong issuer');
  if (typeof claims.exp !== 'number' || claims.exp <= now) return refuse('expired');
  if (typeof claims.nbf === 'number' && claims.nbf > now) return refuse('not yet valid');
  if (typeof claims.iat === 'number' && claims.iat > now + 60)
    return refuse('issued in the future');
  const audiences = [claims.aud, claims.client_id].flat().filter((a) => typeof a === 'string');
  if (!audiences.some((a) => rules.audiences.includes(a as string)))
    return refuse('wrong audience');
  if (rules.tokenUse && claims.token_use !== rules.tokenUse) return refuse('wrong token use');
  if (rules.scopes?.length) {
    const granted = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
    if (!rules.scopes.some((s) => granted.includes(s))) return refuse('insufficient scope');
  }
  return { ok: true, claims };
}
