import type { STSClient } from '@aws-sdk/client-sts';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { SessionCredentials } from './sigv4';

/** The session tag the tenant file access policy reads (`aws:PrincipalTag/tenant-id`). */
export const TENANT_SESSION_TAG = 'tenant-id';

/** A session is reused until this long before it ends (a URL signed by it must stay valid). */
const REFRESH_BEFORE_MS = 5 * 60_000;

/**
 * Credentials of the tenant session role for one tenant: AssumeRole with the single session tag
 * `tenant-id=<tenant>`, the tenant taken from the verified token, 15 minutes, cached per tenant.
 * The role's policy allows only `tenants/<tag>/` and denies the bucket to an untagged session,
 * so URLs signed with these credentials reach the tenant's own files and nothing else.
 */
export class TenantCredentials {
  private readonly sessions = new Map<string, Promise<SessionCredentials>>();

  constructor(
    private readonly sts: STSClient,
    private readonly roleArn: string,
    private readonly clock: () => number = Date.now,
  ) {}

  async forTenant(tenantId: string): Promise<SessionCredentials> {
    const cached = this.sessions.get(tenantId);
    if (cached) {
      const session = await cached.catch(() => undefined);
      if (session && session.expiration.getTime() - this.clock() > REFRESH_BEFORE_MS)
        return session;
    }
    const fresh = this.assume(tenantId);
    this.sessions.set(tenantId, fresh);
    fresh.catch(() => this.sessions.delete(tenantId));
    return fresh;
  }

  private async assume(tenantId: string): Promise<SessionCredentials> {
    const out = await this.sts.send(
      new AssumeRoleCommand({
        RoleArn: this.roleArn,
        RoleSessionName: `documents-${tenantId}`.slice(0, 64),
        DurationSeconds: 900,
        Tags: [{ Key: TENANT_SESSION_TAG, Value: tenantId }],
      }),
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
      throw new Error('AssumeRole returned no credentials');
    }
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration,
    };
  }
}
