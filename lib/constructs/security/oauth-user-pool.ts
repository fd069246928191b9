import { Duration, Tags } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { HARDENED_USER_POOL } from './hardened-user-pool';
import { OPERATOR_SCOPES } from '../../../lambda/shared/identity/claims';

export interface OAuthUserPoolProps {
  /** Name of the user pool. */
  readonly userPoolName: string;
  /** Prefix of the Cognito-hosted domain, `<prefix>.auth.<region>.amazoncognito.com`. */
  readonly domainPrefix: string;
  /** Identifier of the resource server (the API), e.g. `https://api.example.com`. */
  readonly resourceServerIdentifier: string;
  /** Callback URLs of the operator client (https). */
  readonly callbackUrls: readonly string[];
  /**
   * Sign-out URLs of the operator client.
   * @default the callback URLs
   */
  readonly logoutUrls?: readonly string[];
}

/** The API's OAuth scopes (operator scopes), `<resource server>/<name>` in tokens. */
export const TENANT_SCOPES = OPERATOR_SCOPES;

/** The pool tag that says which kind of principal a pool holds (read by the ISO pack). */
export const PRINCIPALS_TAG = 'platform:principals';

/** Lifetime of operator access and ID tokens. */
export const OPERATOR_TOKEN_MINUTES = 15;

/**
 * The operators' OAuth 2.0 authorization server, a Cognito user pool that holds platform
 * operators only (tenant users live in the separate tenant pool, `TenantUserPool`): the only pool
 * with the resource server whose `tenants.*` scopes the admin API requires, so no token a tenant
 * user can obtain carries one (Cognito checks requested scopes against the client, never the user).
 *
 * - tag `platform:principals=operator`; no self sign-up; MFA required (TOTP only, no SMS); passwords of 14+ characters with all
 *   character classes; threat protection (Plus plan) in full-function mode; email-only recovery;
 *   deletion protection and retained on stack deletion;
 * - a resource server with the scopes `tenants.admin` and `tenants.read`;
 * - a machine-to-machine client (client credentials, generated secret) for API access;
 * - an operator client (authorization code; a public client without a secret, so callers use
 *   PKCE), no implicit flow, refresh tokens of 60 minutes (Cognito's minimum);
 * - every client: token revocation on, user existence errors prevented, access and ID tokens of
 *   15 minutes;
 * - a Cognito prefix domain for the token and authorize endpoints.
 */
export class OAuthUserPool extends Construct {
  readonly userPool: cognito.UserPool;
  readonly resourceServer: cognito.UserPoolResourceServer;
  readonly machineClient: cognito.UserPoolClient;
  /** The client operators sign in through (authorization code with PKCE, MFA by the pool). */
  readonly operatorClient: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;
  /** Scopes as they appear in access tokens, e.g. `https://api.example.com/tenants.admin`. */
  readonly scopes: { readonly admin: string; readonly read: string };
  /** The pool's issuer URL, `https://cognito-idp.<region>.amazonaws.com/<pool id>`. */
  readonly issuerUrl: string;

  constructor(scope: Construct, id: string, props: OAuthUserPoolProps) {
    super(scope, id);
    this.userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: props.userPoolName,
      ...HARDENED_USER_POOL,
    });
    Tags.of(this.userPool).add(PRINCIPALS_TAG, 'operator');
    this.issuerUrl = this.userPool.userPoolProviderUrl;

    const admin = new cognito.ResourceServerScope({
      scopeName: TENANT_SCOPES.admin,
      scopeDescription: 'Deactivate, reactivate and read tenants',
    });
    const read = new cognito.ResourceServerScope({
      scopeName: TENANT_SCOPES.read,
      scopeDescription: 'Read the lifecycle state of tenants',
    });
    this.resourceServer = this.userPool.addResourceServer('Api', {
      identifier: props.resourceServerIdentifier,
      userPoolResourceServerName: 'platform-api',
      scopes: [admin, read],
    });
    this.scopes = {
      admin: `${props.resourceServerIdentifier}/${TENANT_SCOPES.admin}`,
      read: `${props.resourceServerIdentifier}/${TENANT_SCOPES.read}`,
    };
    // Literal scope names (the same strings the API's routes require); each client depends on the
    // resource server below, so the scopes exist when the client is created.
    const apiScopes = [this.scopes.admin, this.scopes.read].map((s) =>
      cognito.OAuthScope.custom(s),
    );

    const hardened = {
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.minutes(OPERATOR_TOKEN_MINUTES),
      idTokenValidity: Duration.minutes(OPERATOR_TOKEN_MINUTES),
    };
    this.machineClient = this.userPool.addClient('MachineClient', {
      ...hardened,
      userPoolClientName: 'platform-api-machine',
      generateSecret: true,
      authFlows: {},
      oAuth: { flows: { clientCredentials: true }, scopes: apiScopes },
    });
    this.operatorClient = this.userPool.addClient('UserClient', {
      ...hardened,
      userPoolClientName: 'platform-api-operator',
      generateSecret: false,
      authFlows: { userSrp: true },
      refreshTokenValidity: Duration.minutes(60),
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false },
        scopes: [
          cognito.OAuthScope.OPENID,
          cognito.OAuthScope.EMAIL,
          cognito.OAuthScope.PROFILE,
          ...apiScopes,
        ],
        callbackUrls: [...props.callbackUrls],
        logoutUrls: [...(props.logoutUrls ?? props.callbackUrls)],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
    });
    for (const client of [this.machineClient, this.operatorClient]) {
      client.node.addDependency(this.resourceServer);
    }
    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
    });
  }
}
