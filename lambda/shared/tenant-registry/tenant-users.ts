import type {
  CognitoIdentityProviderClient,
  UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminUserGlobalSignOutCommand,
  ListUsersInGroupCommand,
  ResourceNotFoundException,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';

/** The Cognito group holding a tenant's users. */
export const tenantGroupName = (tenantId: string): string => `tenant-${tenantId}`;

export interface UserAccessResult {
  /** Users in the tenant's group. */
  readonly users: number;
  /** Users whose enabled flag this call changed. */
  readonly changed: number;
  /** Users signed out everywhere (disabling only: every user of the group, refresh tokens revoked). */
  readonly signedOut: number;
  /** False when the group does not exist (a tenant without users). */
  readonly groupFound: boolean;
}

/**
 * Disabling also signs every user of the group out globally (AdminUserGlobalSignOut, also for
 * users already disabled, so a retry finishes an interrupted run): refresh tokens are revoked at
 * once, and no token of the tenant outlives the access-token lifetime of the tenant client.
 *
 * Enables or disables every user of group `tenant-<tenantId>` (ListUsersInGroup, paginated, then
 * AdminEnableUser / AdminDisableUser for the users not yet in that state). Idempotent: a rerun
 * finishes what an interrupted run left. Returns counts only: usernames may be personal data.
 */
export async function setTenantUsersEnabled(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  tenantId: string,
  enabled: boolean,
  concurrency = 4,
): Promise<UserAccessResult> {
  let users = 0;
  let changed = 0;
  let signedOut = 0;
  let nextToken: string | undefined;
  do {
    let page: UserType[];
    try {
      const out = await cognito.send(
        new ListUsersInGroupCommand({
          UserPoolId: userPoolId,
          GroupName: tenantGroupName(tenantId),
          Limit: 60,
          NextToken: nextToken,
        }),
      );
      page = out.Users ?? [];
      nextToken = out.NextToken;
    } catch (error) {
      if (error instanceof ResourceNotFoundException && users === 0) {
        return { users: 0, changed: 0, signedOut: 0, groupFound: false };
      }
      throw error;
    }
    users += page.length;
    const todo = page.filter((u) => u.Username && u.Enabled !== enabled);
    for (let i = 0; i < todo.length; i += concurrency) {
      const results = await Promise.all(
        todo.slice(i, i + concurrency).map(async (user) => {
          const input = { UserPoolId: userPoolId, Username: user.Username };
          try {
            await cognito.send(
              enabled ? new AdminEnableUserCommand(input) : new AdminDisableUserCommand(input),
            );
            return 1;
          } catch (error) {
            if (error instanceof UserNotFoundException) return 0; // deleted meanwhile
            throw error;
          }
        }),
      );
      changed += results.reduce<number>((a, b) => a + b, 0);
    }
    if (!enabled) signedOut += await signOutEverywhere(cognito, userPoolId, page, concurrency);
  } while (nextToken);
  return { users, changed, signedOut, groupFound: true };
}

/** AdminUserGlobalSignOut for each user (revokes its refresh tokens); returns how many. */
async function signOutEverywhere(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  users: readonly UserType[],
  concurrency: number,
): Promise<number> {
  const named = users.filter((u) => u.Username);
  let count = 0;
  for (let i = 0; i < named.length; i += concurrency) {
    const results = await Promise.all(
      named.slice(i, i + concurrency).map(async (user) => {
        try {
          await cognito.send(
            new AdminUserGlobalSignOutCommand({ UserPoolId: userPoolId, Username: user.Username }),
          );
          return 1;
        } catch (error) {
          if (error instanceof UserNotFoundException) return 0; // deleted meanwhile
          throw error;
        }
      }),
    );
    count += results.reduce<number>((a, b) => a + b, 0);
  }
  return count;
}
