import { Duration, Tags } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { HARDENED_USER_POOL } from './hardened-user-pool';
import { TENANT_ATTRIBUTE } from '../../../lambda/shared/identity/claims';
import { PRINCIPALS_TAG } from './oauth-user-pool';

export interface TenantUserPoolProps {
  /** Name of the user pool. */
  readonly userPoolName: string;
  /** Prefix of the Cognito-hosted domain, `<prefix>.auth.<region>.amazoncognito.com`. */
  readonly domainPrefix: string;
  /** Callback URLs of the tenant app client (https). */
  readonly callbackUrls: readonly string[];
  /**
   * Sign-out URLs of the tenant app client.
   * @default the callback URLs
   */
  readonly logoutUrls?: readonly string[];
  /**
   * The pre-token-generation (V2) trigger that sets the `tenant_id` claim from the registry and
   * refuses tokens for a tenant that is not ACTIVE (`lambda/tenant-pre-token`).
   */
  readonly preTokenGeneration: lambda.IFunction;
  /**
   * Lifetime of access and ID tokens: after a tenant is deactivated, a token issued just before
   * stays valid this long at a JWT authorizer (refresh tokens are revoked at once).
   * @default 15 minutes
   */
  readonly tokenValidity?: Duration;
}

/** The attribute's name without the `custom:` prefix, as CDK declares it. */
const TENANT_ATTRIBUTE_NAME = TENANT_ATTRIBUTE.slice('custom:'.length);

/**
 * The tenant users' pool (drivers, warehouse staff, tenant administrators), separate from the
 * operators' pool so that no tenant token can carry an operator scope:
 *
 * - tag `platform:principals=tenant`; no self sign-up; MFA required (TOTP); the operators' pool's
 *   password and threat-protection settings (Plus plan, which V2 pre-token triggers also need);
 * - `custom:tenant_id`, immutable, set only by AdminCreateUser; the app client may read it but
 *   its write attributes leave it out, so no user can change their tenant;
 * - no resource server: the app client has `openid`, `email` and `profile` only;
 * - a pre-token-generation trigger (V2, ID and access tokens) that copies the attribute into the
 *   `tenant_id` claim and refuses the token while the tenant is not ACTIVE;
 * - the app client: authorization code with PKCE (public, no secret), no implicit flow, token
 *   revocation, user existence errors prevented, 15-minute access and ID tokens, 12-hour refresh.
 */
export class TenantUserPool extends Construct {
  readonly userPool: cognito.UserPool;
  readonly appClient: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;
  /** The pool's issuer URL, `https://cognito-idp.<region>.amazonaws.com/<pool id>`. */
  readonly issuerUrl: string;

  constructor(scope: Construct, id: string, props: TenantUserPoolProps) {
    super(scope, id);
    this.userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: props.userPoolName,
      ...HARDENED_USER_POOL,
      customAttributes: {
        [TENANT_ATTRIBUTE_NAME]: new cognito.StringAttribute({
          minLen: 1,
          maxLen: 64,
          mutable: false,
        }),
      },
    });
    Tags.of(this.userPool).add(PRINCIPALS_TAG, 'tenant');
    this.userPool.addTrigger(
      cognito.UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG,
      props.preTokenGeneration,
      cognito.LambdaVersion.V2_0,
    );
    this.issuerUrl = this.userPool.userPoolProviderUrl;

    const validity = props.tokenValidity ?? Duration.minutes(15);
    this.appClient = this.userPool.addClient('AppClient', {
      userPoolClientName: 'tenant-app',
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: validity,
      idTokenValidity: validity,
      refreshTokenValidity: Duration.hours(12),
      generateSecret: false,
      authFlows: { userSrp: true },
      readAttributes: new cognito.ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes(TENANT_ATTRIBUTE_NAME),
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ fullname: true }),
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [...props.callbackUrls],
        logoutUrls: [...(props.logoutUrls ?? props.callbackUrls)],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
    });
    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
    });
  }
}
