import { Logger } from '@aws-lambda-powertools/logger';
import type { AdminApiEvent } from '../../lambda/shared/lifecycle/api';
import { json } from '../../lambda/shared/lifecycle/api';
import { guardApi } from '../../lambda/shared/lifecycle/api-guard';
import { verifyJwt } from '../../lambda/shared/identity/jwt';
import { vendCredentials } from '../../lambda/tenant-credentials/vend';
import type { Client, TokenResult, User } from './support/local-cognito';
import { LocalCognito, signingKey } from './support/local-cognito';
import type { Outcome, Tally } from './support/tally';
import type { CfnTemplate } from './support/templates';
import { resolver } from './support/templates';

interface Route {
  readonly routeKey: string;
  readonly scopes: readonly string[];
}

/** The admin API's JWT authorizer and routes, as the Ingress template configures them. */
function adminApiOf(ingress: CfnTemplate, security: CfnTemplate) {
  const resolve = resolver(ingress, [security]);
  const resources = Object.values(ingress.Resources);
  const authorizers = resources.filter((r) => r.Type === 'AWS::ApiGatewayV2::Authorizer');
  if (authorizers.length !== 1) throw new Error('expected one authorizer');
  const jwt = resolve(authorizers[0].Properties?.JwtConfiguration) as {
    Issuer: string;
    Audience: string[];
  };
  const routes: Route[] = resources
    .filter((r) => r.Type === 'AWS::ApiGatewayV2::Route')
    .map((r) => {
      if (r.Properties?.AuthorizationType !== 'JWT') throw new Error('a route without JWT');
      return {
        routeKey: r.Properties.RouteKey as string,
        scopes: (r.Properties.AuthorizationScopes ?? []) as string[],
      };
    });
  return { issuer: jwt.Issuer, audiences: jwt.Audience, routes };
}

const silent = new Logger({ serviceName: 'isolation-suite', logLevel: 'SILENT' });

/**
 * The attacker's side of the admin API: tokens from the local Cognito, checked by the same rules
 * as the HTTP API JWT authorizer with the template's issuer, audiences and route scopes, then by
 * the handlers' own operator check (`guardApi`, with an operation that answers 200).
 */
export function apiAttacks(tally: Tally, templates: () => Record<string, CfnTemplate>) {
  let cognito: LocalCognito;
  let api: ReturnType<typeof adminApiOf>;
  let storage: CfnTemplate;
  let security: CfnTemplate;

  beforeAll(() => {
    const t = templates();
    cognito = new LocalCognito(t.security);
    api = adminApiOf(t.ingress, t.security);
    storage = t.storage;
    security = t.security;
    cognito.states.set('tenant-a', 'ACTIVE');
    cognito.states.set('tenant-b', 'ACTIVE');
    cognito.states.set('tenant-d', 'DEACTIVATED');
  });

  const tenantUser = (tenant: string): User => ({
    sub: `user-of-${tenant}`,
    pool: cognito.tenantPool(),
    attributes: { 'custom:tenant_id': tenant, email: `${tenant}@example.com` },
  });
  const operatorUser = (): User => ({
    sub: 'operator-1',
    pool: cognito.operatorPool(),
    attributes: { email: 'ops@platform.example' },
  });
  const operatorScopes = () =>
    [...new Set(cognito.clients.flatMap((c) => c.scopes))].filter((s) => /\/tenants\./.test(s));

  /** One request on one route: the authorizer, then the handler's guard. */
  async function call(token: string | undefined, route: Route): Promise<[Outcome, string]> {
    if (!token) return ['denied', 'no token'];
    const pool = cognito.pools.find((p) => p.issuer === api.issuer);
    const verified = verifyJwt(token, {
      issuer: api.issuer,
      audiences: api.audiences,
      keys: pool ? cognito.jwks(pool) : [],
      scopes: route.scopes,
      now: cognito.now,
    });
    if (!verified.ok) return ['denied', `authorizer: ${verified.reason}`];
    return handlerOnly(verified.claims, route);
  }

  async function handlerOnly(claims: object, route: Route): Promise<[Outcome, string]> {
    const event = {
      routeKey: route.routeKey,
      requestContext: { authorizer: { jwt: { claims, scopes: [] } } },
    } as unknown as AdminApiEvent;
    const response = await guardApi(silent, event, async () => json(200, {}));
    return response.statusCode === 403 ? ['denied', 'handler: 403'] : ['allowed', 'handler: 200'];
  }

  const tokenOf = (r: TokenResult) => ('token' in r ? r.token : undefined);
  const why = (r: TokenResult) => ('refused' in r ? `token refused: ${r.refused}` : '');

  async function attempt(
    name: string,
    expected: 'deny' | 'allow',
    run: () => Promise<[Outcome, string]>,
  ) {
    const [outcome, detail] = await run();
    tally.record({ area: 'api', name, expected, outcome, detail });
  }

  tally.test(
    'a tenant user, through every client and with every scope, is refused on every admin route',
    async () => {
      const user = tenantUser('tenant-a');
      for (const client of cognito.clients) {
        const asks = [operatorScopes(), client.scopes.filter((s) => s.includes('/'))];
        for (const scopes of asks) {
          const result = await cognito.signIn(user, client, scopes);
          for (const route of api.routes) {
            await attempt(
              `tenant user via ${client.id} [${scopes.join(' ')}] ${route.routeKey}`,
              'deny',
              async () =>
                tokenOf(result) ? call(tokenOf(result), route) : ['denied', why(result)],
            );
          }
        }
      }
    },
  );

  tally.test(
    'a tenant token that got past a misconfigured authorizer is refused by every handler',
    async () => {
      const client = cognito.clients.find(
        (c) => c.pool === cognito.tenantPool() && c.flows.includes('code'),
      )!;
      const result = await cognito.signIn(tenantUser('tenant-a'), client, []);
      const claims = 'claims' in result ? result.claims : {};
      for (const route of api.routes) {
        await attempt(`tenant claims with operator scopes at ${route.routeKey}`, 'deny', () =>
          handlerOnly({ ...claims, scope: operatorScopes().join(' ') }, route),
        );
      }
    },
  );

  tally.test(
    'a token the attacker signs with their own key as the operator pool is refused',
    async () => {
      const forger = signingKey(`${cognito.operatorPool().id}-key`);
      const now = Math.floor(Date.now() / 1000);
      const token = forger.sign({
        iss: api.issuer,
        client_id: api.audiences[0],
        token_use: 'access',
        scope: operatorScopes().join(' '),
        sub: 'attacker',
        iat: now,
        exp: now + 600,
      });
      for (const route of api.routes) {
        await attempt(`forged operator token at ${route.routeKey}`, 'deny', () =>
          call(token, route),
        );
      }
    },
  );

  tally.test(
    'operator tokens (client credentials, and MFA sign-in through the operator client) are accepted',
    async () => {
      const operatorClients = cognito.clients.filter((c) => c.pool === cognito.operatorPool());
      const machine = operatorClients.find((c) => c.flows.includes('client_credentials'))!;
      const human = operatorClients.find((c) => c.flows.includes('code'))!;
      const admin = operatorScopes().filter((s) => s.endsWith('/tenants.admin'));
      const tokens: [string, TokenResult][] = [
        ['machine', cognito.clientCredentials(machine, admin)],
        ['operator', await cognito.signIn(operatorUser(), human, admin)],
      ];
      for (const [who, result] of tokens) {
        for (const route of api.routes) {
          await attempt(`${who} token at ${route.routeKey}`, 'allow', async () =>
            tokenOf(result) ? call(tokenOf(result), route) : ['denied', why(result)],
          );
        }
      }
    },
  );

  tally.test('a user of a deactivated tenant gets no token, at sign-in or refresh', async () => {
    const client = tenantClient();
    const user = tenantUser('tenant-d');
    for (const [how, result] of [
      ['sign-in', await cognito.signIn(user, client, [])],
      ['refresh', await cognito.refresh(user, client, [])],
    ] as const) {
      await attempt(`deactivated tenant ${how}`, 'deny', async () =>
        tokenOf(result) ? ['allowed', 'token issued'] : ['denied', why(result)],
      );
    }
  });

  tally.test('a tenant user cannot rewrite their own tenant claim', async () => {
    for (const client of cognito.clients.filter((c) => c.pool === cognito.tenantPool())) {
      await attempt(`set custom:tenant_id=tenant-b via ${client.id}`, 'deny', async () => {
        const r = cognito.updateAttribute(tenantUser('tenant-a'), client, 'custom:tenant_id');
        return r === 'updated' ? ['allowed', r] : ['denied', r];
      });
    }
  });

  function tenantClient(): Client {
    return cognito.clients.find(
      (c) => c.pool === cognito.tenantPool() && c.flows.includes('code'),
    )!;
  }

  tally.test(
    'the token-vending function tags the session with the token’s tenant, never the request’s',
    async () => {
      const env = vendingEnvironment(storage, security);
      const vend = (token: string | undefined, body: object = {}) =>
        vendCredentials(
          { token, ...body },
          {
            verify: async (t) =>
              verifyJwt(t, {
                issuer: env.ISSUER,
                audiences: env.CLIENT_IDS.split(','),
                keys: cognito.jwks(cognito.tenantPool()),
                tokenUse: 'access',
                now: cognito.now,
              }),
            stateOf: async (id) => cognito.states.get(id),
            assumeTenantRole: async (tenantId) => ({
              accessKeyId: `AKIA-${tenantId}`,
              secretAccessKey: 's',
              sessionToken: 't',
              expiration: '',
            }),
          },
        );
      const own = tokenOf(await cognito.signIn(tenantUser('tenant-a'), tenantClient(), []));
      await attempt('vend with a token of A', 'allow', async () => {
        const r = await vend(own);
        return r.ok && r.tenantId === 'tenant-a'
          ? ['allowed', 'tag tenant-a']
          : ['denied', JSON.stringify(r)];
      });
      for (const body of [
        { tenantId: 'tenant-b' },
        { tenant_id: 'tenant-b' },
        { tags: { 'tenant-id': 'tenant-b' } },
      ]) {
        await attempt(
          `vend with a token of A asking for B ${JSON.stringify(body)}`,
          'deny',
          async () => {
            const r = await vend(own, body);
            return r.ok && r.tenantId === 'tenant-b'
              ? ['allowed', 'tag tenant-b']
              : ['denied', r.ok ? `tag ${r.tenantId}` : r.reason];
          },
        );
      }
      const operator = tokenOf(
        cognito.clientCredentials(
          cognito.clients.find((c) => c.flows.includes('client_credentials'))!,
          [],
        ),
      );
      await attempt('vend with an operator token', 'deny', async () => {
        const r = await vend(operator);
        return r.ok ? ['allowed', `tag ${r.tenantId}`] : ['denied', r.reason];
      });
      // Tenant B is deactivated after its user got a token: the function refuses it at once.
      const before = tokenOf(await cognito.signIn(tenantUser('tenant-b'), tenantClient(), []));
      cognito.states.set('tenant-b', 'DEACTIVATED');
      await attempt(
        'vend with a token issued before the tenant was deactivated',
        'deny',
        async () => {
          const r = await vend(before);
          return r.ok ? ['allowed', `tag ${r.tenantId}`] : ['denied', r.reason];
        },
      );
      cognito.states.set('tenant-b', 'ACTIVE');
    },
  );
}

/** The vending function's environment in the Storage template (Security outputs resolved). */
function vendingEnvironment(storage: CfnTemplate, security: CfnTemplate): Record<string, string> {
  const fn = Object.entries(storage.Resources).find(
    ([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith('TenantSessionVending'),
  );
  if (!fn) throw new Error('no token-vending function in the Storage template');
  const environment = resolver(storage, [security])(fn[1].Properties?.Environment) as {
    Variables: Record<string, string>;
  };
  return environment.Variables;
}
