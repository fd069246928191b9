import type { SessionCredentials } from './sigv4';

/** A session is reused until this long before it ends (a URL signed by it must stay valid). */
const REFRESH_BEFORE_MS = 5 * 60_000;

/** Whose session is asked for: the tenant of the caller's verified token, and that token. */
export interface TokenHolder {
  readonly tenantId: string;
  /** The caller's own access token, passed to the vending function (never logged). */
  readonly accessToken: string;
}

/** What the token-vending function answers (lambda/tenant-credentials/vend.ts, VendResult). */
interface VendAnswer {
  readonly ok?: unknown;
  readonly reason?: unknown;
  readonly tenantId?: unknown;
  readonly credentials?: {
    readonly accessKeyId?: unknown;
    readonly secretAccessKey?: unknown;
    readonly sessionToken?: unknown;
    readonly expiration?: unknown;
  };
}

/** The vending function refused, or answered a session of another tenant than the token's. */
export class CredentialsRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialsRefused';
  }
}

/**
 * Credentials of the tenant session role, from the platform's token-vending function
 * (`lambda/tenant-credentials`), invoked with the caller's own access token: the function verifies
 * the token and tags the session with the token's tenant, so this service never chooses the
 * tenant of a session (its task role may invoke the function, not assume the role). A session is
 * cached per tenant and reused by that tenant's callers until 5 minutes before it ends; an answer
 * naming another tenant than the caller's verified claim is refused.
 */
export class TenantCredentials {
  private readonly sessions = new Map<string, Promise<SessionCredentials>>();

  constructor(
    private readonly invoke: (payload: unknown) => Promise<unknown>,
    private readonly clock: () => number = Date.now,
  ) {}

  async forCaller(caller: TokenHolder): Promise<SessionCredentials> {
    const cached = this.sessions.get(caller.tenantId);
    if (cached) {
      const session = await cached.catch(() => undefined);
      if (session && session.expiration.getTime() - this.clock() > REFRESH_BEFORE_MS)
        return session;
    }
    const fresh = this.vend(caller);
    this.sessions.set(caller.tenantId, fresh);
    fresh.catch(() => this.sessions.delete(caller.tenantId));
    return fresh;
  }

  private async vend(caller: TokenHolder): Promise<SessionCredentials> {
    const answer = ((await this.invoke({ token: caller.accessToken })) ?? {}) as VendAnswer;
    if (answer.ok !== true) {
      throw new CredentialsRefused(`tenant credentials refused: ${String(answer.reason)}`);
    }
    if (answer.tenantId !== caller.tenantId) {
      throw new CredentialsRefused(
        `tenant credentials of ${String(answer.tenantId)} answered for a caller of ${caller.tenantId}`,
      );
    }
    const c = answer.credentials ?? {};
    const expiration = new Date(String(c.expiration));
    if (
      typeof c.accessKeyId !== 'string' ||
      typeof c.secretAccessKey !== 'string' ||
      typeof c.sessionToken !== 'string' ||
      Number.isNaN(expiration.getTime())
    ) {
      throw new CredentialsRefused('the vending function answered no credentials');
    }
    return {
      accessKeyId: c.accessKeyId,
      secretAccessKey: c.secretAccessKey,
      sessionToken: c.sessionToken,
      expiration,
    };
  }
}
