import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

export interface OAuthUserPoolProps {
  /** Name of the user pool. */
  readonly userPoolName: string;
  /** Prefix of the Cognito-hosted domain, `<prefix>.auth.<region>.amazoncognito.com`. */
  readonly domainPrefix: string;
  /** Identifier of the resource server (the API), e.g. `https://api.example.com`. */
  readonly resourceServerIdentifier: string;
  /** Callback URLs of the user client (https). */
  readonly callbackUrls: readonly string[];
  /**
   * Sign-out URLs of the user client.
   * @default the callback URLs
   */
  readonly logoutUrls?: readonly string[];
}

/** The API's OAuth scopes, `<resource server>/<name>` in tokens. */
export const TENANT_SCOPES = {
  admin: 'tenants.admin',
  read: 'tenants.read',
} as const;

/**
 * The OAuth 2.0 authorization server of the platform, a Cognito user pool:
 *
 * - no self sign-up; MFA required (TOTP only, no SMS); passwords of 14+ characters with all
 *   character classes; threat protection (Plus plan) in full-function mode; email-only recovery;
 *   deletion protection and retained on stack deletion;
 * - a resource server with the scopes `tenants.admin` and `tenants.read`;
 * - a machine-to-machine client (client credentials, generated secret) for API access;
 * - a user client (authorization code; a public client without a secret, so callers use PKCE),
 *   no implicit flow;
 * - every client: token revocation on, user existence errors prevented, short-lived tokens;
 * - a Cognito prefix domain for the token and authorize endpoints.
 */
export class OAuthUserPool extends Construct {
  readonly userPool: cognito.UserPool;
  readonly resourceServer: cognito.UserPoolResourceServer;
  readonly machineClient: cognito.UserPoolClient;
  readonly userClient: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;
  /** Scopes as they appear in access tokens, e.g. `https://api.example.com/tenants.admin`. */
  readonly scopes: { readonly admin: string; readonly read: string };
  /** The pool's issuer URL, `https://cognito-idp.<region>.amazonaws.com/<pool id>`. */
  readonly issuerUrl: string;

  constructor(scope: Construct, id: string, props: OAuthUserPoolProps) {
    super(scope, id);
    this.userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: props.userPoolName,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 12,
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
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
      accessTokenValidity: Duration.minutes(60),
      idTokenValidity: Duration.minutes(60),
    };
    this.machineClient = this.userPool.addClient('MachineClient', {
      ...hardened,
      userPoolClientName: 'platform-api-machine',
      generateSecret: true,
      authFlows: {},
      oAuth: { flows: { clientCredentials: true }, scopes: apiScopes },
    });
    this.userClient = this.userPool.addClient('UserClient', {
      ...hardened,
      userPoolClientName: 'platform-api-user',
      generateSecret: false,
      authFlows: { userSrp: true },
      refreshTokenValidity: Duration.hours(12),
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
    for (const client of [this.machineClient, this.userClient]) {
      client.node.addDependency(this.resourceServer);
    }
    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
    });
  }
}
