import { createSign, generateKeyPairSync } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { addTenantClaim } from '../../../lambda/tenant-pre-token/tenant-claim';
import type { LifecycleState } from '../../../lambda/shared/lifecycle/states';
import type { CfnTemplate } from './templates';
import { REGION, resolver } from './templates';

/** A key pair and its public JWK; tokens are RS256 as Cognito signs them. */
export function signingKey(kid: string) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...(publicKey.export({ format: 'jwk' }) as JsonWebKey), kid, alg: 'RS256' };
  const sign = (claims: Record<string, unknown>) => {
    const header = Buffer.from(JSON.stringify({ alg: 'RS256', kid, typ: 'JWT' })).toString(
      'base64url',
    );
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    const signer = createSign('RSA-SHA256');
    signer.update(`${header}.${body}`);
    return `${header}.${body}.${signer.sign(privateKey).toString('base64url')}`;
  };
  return { jwk, sign };
}

export interface Pool {
  readonly id: string;
  readonly issuer: string;
  readonly principals: string | undefined;
  readonly hasPreTokenTrigger: boolean;
  readonly immutable: ReadonlySet<string>;
  readonly key: ReturnType<typeof signingKey>;
}

export interface Client {
  readonly id: string;
  readonly pool: Pool;
  readonly flows: readonly string[];
  readonly scopes: readonly string[];
  /** Undefined: Cognito lets the client write every mutable attribute. */
  readonly writeAttributes?: readonly string[];
  readonly accessMinutes: number;
}

export interface User {
  readonly sub: string;
  /** The pool the user lives in. */
  readonly pool: Pool;
  readonly attributes: Readonly<Record<string, string>>;
}

export type TokenResult = { token: string; claims: Record<string, unknown> } | { refused: string };

/**
 * Cognito as the synthesized Security template configures it: one local signing key per user
 * pool, the clients with their flows, allowed scopes and write attributes, and the pool's
 * pre-token-generation trigger (the real core of `lambda/tenant-pre-token`) reading a registry
 * whose states the test sets. Cognito's rules that matter here: a user signs in only through a
 * client of their own pool; a requested scope the client does not allow is an error
 * (`invalid_scope`); the trigger's error refuses the token; the trigger may add claims.
 */
export class LocalCognito {
  readonly pools: Pool[];
  readonly clients: Client[];
  readonly states = new Map<string, LifecycleState>();
  now = new Date();

  constructor(security: CfnTemplate) {
    const resolve = resolver(security);
    const resources = Object.entries(security.Resources);
    this.pools = resources
      .filter(([, r]) => r.Type === 'AWS::Cognito::UserPool')
      .map(([id, r]) => {
        const p = r.Properties ?? {};
        const tags = (p.UserPoolTags ?? {}) as Record<string, string>;
        const schema = (p.Schema ?? []) as { Name: string; Mutable?: boolean }[];
        return {
          id,
          issuer: `https://cognito-idp.${REGION}.amazonaws.com/${id}`,
          principals: tags['platform:principals'],
          hasPreTokenTrigger: Boolean(
            (p.LambdaConfig as { PreTokenGenerationConfig?: unknown } | undefined)
              ?.PreTokenGenerationConfig,
          ),
          immutable: new Set(
            schema.filter((a) => a.Mutable === false).map((a) => `custom:${a.Name}`),
          ),
          key: signingKey(`${id}-key`),
        };
      });
    this.clients = resources
      .filter(([, r]) => r.Type === 'AWS::Cognito::UserPoolClient')
      .map(([id, r]) => {
        const p = resolve(r.Properties ?? {}) as Record<string, unknown>;
        const units = (p.TokenValidityUnits ?? {}) as { AccessToken?: string };
        const validity = Number(p.AccessTokenValidity ?? 60);
        return {
          id,
          pool: this.pools.find((pool) => pool.id === p.UserPoolId)!,
          flows: (p.AllowedOAuthFlows ?? []) as string[],
          scopes: (p.AllowedOAuthScopes ?? []) as string[],
          writeAttributes: p.WriteAttributes as string[] | undefined,
          accessMinutes: units.AccessToken === 'minutes' ? validity : validity * 60,
        };
      });
  }

  /** The pool tenant users live in: the one tagged `tenant`, or the only pool there is. */
  tenantPool(): Pool {
    return this.pools.find((p) => p.principals === 'tenant') ?? this.onlyPool('tenant');
  }

  operatorPool(): Pool {
    return this.pools.find((p) => p.principals === 'operator') ?? this.onlyPool('operator');
  }

  private onlyPool(kind: string): Pool {
    if (this.pools.length !== 1) throw new Error(`no pool tagged ${kind}`);
    return this.pools[0];
  }

  jwks(pool: Pool) {
    return [pool.key.jwk];
  }

  /** Sign-in through the hosted UI (authorization code) asking for `scopes`. */
  async signIn(user: User, client: Client, scopes: readonly string[]): Promise<TokenResult> {
    if (user.pool !== client.pool) return { refused: 'user not in the client’s pool' };
    if (!client.flows.includes('code')) return { refused: 'client has no authorization code' };
    return this.issue(user, client, scopes, 'TokenGeneration_HostedAuth');
  }

  /** A refresh: the pre-token trigger runs again. */
  async refresh(user: User, client: Client, scopes: readonly string[]): Promise<TokenResult> {
    if (user.pool !== client.pool) return { refused: 'user not in the client’s pool' };
    return this.issue(user, client, scopes, 'TokenGeneration_RefreshTokens');
  }

  /** Client credentials (machine to machine): no user, no trigger (V2 triggers skip M2M). */
  clientCredentials(client: Client, scopes: readonly string[]): TokenResult {
    if (!client.flows.includes('client_credentials')) return { refused: 'no client credentials' };
    const bad = scopes.filter((s) => !client.scopes.includes(s));
    if (bad.length) return { refused: `invalid_scope ${bad.join(' ')}` };
    return this.sign(client, { sub: client.id }, scopes);
  }

  /** UpdateUserAttributes by the user through a client. */
  updateAttribute(user: User, client: Client, name: string): 'updated' | string {
    if (user.pool !== client.pool) return 'user not in the client’s pool';
    if (client.pool.immutable.has(name)) return `${name} is immutable`;
    if (client.writeAttributes && !client.writeAttributes.includes(name)) {
      return `${name} is not writable by the client`;
    }
    return 'updated';
  }

  private async issue(
    user: User,
    client: Client,
    scopes: readonly string[],
    trigger: string,
  ): Promise<TokenResult> {
    const bad = scopes.filter((s) => !client.scopes.includes(s));
    if (bad.length) return { refused: `invalid_scope ${bad.join(' ')}` };
    let added: Record<string, unknown> = {};
    if (client.pool.hasPreTokenTrigger) {
      const event = {
        version: '2',
        triggerSource: trigger,
        region: REGION,
        userPoolId: client.pool.id,
        userName: user.sub,
        callerContext: { awsSdkVersion: 'local', clientId: client.id },
        request: {
          userAttributes: { sub: user.sub, ...user.attributes },
          groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [] },
          scopes: [...scopes],
        },
        response: {},
      } as unknown as PreTokenGenerationV2TriggerEvent;
      try {
        const out = await addTenantClaim(event, async (id) => this.states.get(id));
        added =
          out.response.claimsAndScopeOverrideDetails?.accessTokenGeneration
            ?.claimsToAddOrOverride ?? {};
      } catch (error) {
        return { refused: (error as Error).message };
      }
    }
    return this.sign(client, { ...added, sub: user.sub, username: user.sub }, scopes);
  }

  private sign(client: Client, extra: Record<string, unknown>, scopes: readonly string[]) {
    const iat = Math.floor(this.now.getTime() / 1000);
    const claims = {
      ...extra,
      iss: client.pool.issuer,
      client_id: client.id,
      token_use: 'access',
      scope: scopes.join(' '),
      auth_time: iat,
      iat,
      exp: iat + client.accessMinutes * 60,
      jti: `${client.id}-${iat}-${Math.random()}`,
    };
    return { token: client.pool.key.sign(claims), claims };
  }
}
