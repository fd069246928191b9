// The STS client of the SDK the runtime ships (@aws-sdk/client-sts is not a dependency yet).
import type { STSClient } from '@aws-sdk/client-sts';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { TenantCredentials } from './vend';
import { sessionTags } from './vend';

/** AssumeRole on the tenant session role for 15 minutes, tagged `tenant-id=<tenantId>` only. */
export async function assumeTenantRole(
  sts: STSClient,
  roleArn: string,
  tenantId: string,
): Promise<TenantCredentials> {
  const out = await sts.send(
    new AssumeRoleCommand({
      RoleArn: roleArn,
      RoleSessionName: `tenant-${tenantId}`.slice(0, 64),
      DurationSeconds: 900,
      Tags: sessionTags(tenantId),
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
    expiration: c.Expiration.toISOString(),
  };
}
