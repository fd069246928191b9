import type {
  CognitoIdentityProviderClient,
  UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { TenantRecord } from '../lifecycle/tenant';
import type { TenantRegistry } from './tenant-registry';
import {
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  DeleteGroupCommand,
  AdminEnableUserCommand,
  AdminUserGlobalSignOutCommand,
  ListUsersInGroupCommand,
  ResourceNotFoundException,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';

/** The Cognito group holding a tenant's users. */
export const tenantGroupName = (tenantId: string): string => `tenant-${tenantId}`;

/**
 * Runs `call` for each username, `concurrency` at a time, and returns how many succeeded: a user
 * deleted meanwhile (UserNotFoundException) is skipped, any other error fails the whole step.
 */
async function forEachUser(
  usernames: readonly string[],
  concurrency: number,
  call: (username: string) => Promise<unknown>,
): Promise<number> {
  let succeeded = 0;
  for (let i = 0; i < usernames.length; i += concurrency) {
    const results = await Promise.all(
      usernames.slice(i, i + concurrency).map(async (username) => {
        try {
          await call(username);
          return 1;
        } catch (error) {
          if (error instanceof UserNotFoundException) return 0; // deleted meanwhile
          throw error;
        }
      }),
    );
    succeeded += results.reduce<number>((a, b) => a + b, 0);
  }
  return succeeded;
}

/** The usernames of a page of users (a user without one cannot be named in a call). */
const namesOf = (users: readonly UserType[]): string[] =>
  users.flatMap((u) => (u.Username ? [u.Username] : []));

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
    const todo = namesOf(page.filter((u) => u.Enabled !== enabled));
    changed += await setUsersEnabled(cognito, userPoolId, todo, enabled, concurrency);
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
  return forEachUser(namesOf(users), concurrency, (Username) =>
    cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: userPoolId, Username })),
  );
}

/** One user of a tenant's group: its Cognito username and whether it can sign in. */
export interface TenantUser {
  readonly username: string;
  readonly enabled: boolean;
}

/** Every user of group `tenant-<tenantId>` (paginated); empty when the group does not exist. */
export async function listTenantUsers(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  tenantId: string,
): Promise<TenantUser[]> {
  const found: TenantUser[] = [];
  let nextToken: string | undefined;
  do {
    try {
      const out = await cognito.send(
        new ListUsersInGroupCommand({
          UserPoolId: userPoolId,
          GroupName: tenantGroupName(tenantId),
          Limit: 60,
          NextToken: nextToken,
        }),
      );
      for (const u of out.Users ?? []) {
        if (u.Username) found.push({ username: u.Username, enabled: u.Enabled !== false });
      }
      nextToken = out.NextToken;
    } catch (error) {
      if (error instanceof ResourceNotFoundException && found.length === 0) return [];
      throw error;
    }
  } while (nextToken);
  return found;
}

/**
 * Enables or disables exactly the named users (a user deleted meanwhile is skipped); returns
 * how many calls succeeded. Idempotent: enabling an enabled user changes nothing.
 */
export async function setUsersEnabled(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  usernames: readonly string[],
  enabled: boolean,
  concurrency = 4,
): Promise<number> {
  return forEachUser(usernames, concurrency, (Username) => {
    const input = { UserPoolId: userPoolId, Username };
    return cognito.send(
      enabled ? new AdminEnableUserCommand(input) : new AdminDisableUserCommand(input),
    );
  });
}

export interface ClosureUsersDeps {
  readonly cognito: CognitoIdentityProviderClient;
  readonly userPoolId: string;
  readonly registry: TenantRegistry;
}

/**
 * Deactivation's user step: records the tenant's users that are still enabled in the registry
 * (`closureDisabledUsers`), then disables exactly those and signs every user of the tenant out
 * globally (AdminUserGlobalSignOut: refresh tokens revoked, so no token of the tenant outlives the
 * access-token lifetime). Users an administrator had disabled
 * are never recorded, so reactivation leaves them disabled. Idempotent: a retry records and
 * disables what is still enabled. Does nothing once the tenant is no longer DEACTIVATED.
 */
export async function disableForClosure(
  deps: ClosureUsersDeps,
  tenantId: string,
): Promise<{ users: number; disabled: number; recorded: boolean; signedOut: number }> {
  const users = await listTenantUsers(deps.cognito, deps.userPoolId, tenantId);
  const enabled = users.filter((u) => u.enabled).map((u) => u.username);
  if (!(await deps.registry.recordClosureUsers(tenantId, enabled))) {
    return { users: users.length, disabled: 0, recorded: false, signedOut: 0 };
  }
  const disabled = await setUsersEnabled(deps.cognito, deps.userPoolId, enabled, false);
  // Every user of the tenant, also one an administrator had disabled, loses its refresh tokens.
  const signedOut = await signOutEverywhere(
    deps.cognito,
    deps.userPoolId,
    users.map((u) => ({ Username: u.username })),
    4,
  );
  return { users: users.length, disabled, recorded: true, signedOut };
}

/**
 * Reactivation's user step, after the registry says ACTIVE: re-enables exactly the users the
 * closure disabled, then clears the record. A tenant deactivated before users were recorded
 * (`legacy`) has every user of its group enabled, as before. Idempotent.
 */
export async function enableAfterClosure(
  deps: ClosureUsersDeps,
  record: TenantRecord,
): Promise<{ enabled: number; legacy: boolean }> {
  const legacy = record.closureDisabledUsers === undefined;
  const usernames = legacy
    ? (await listTenantUsers(deps.cognito, deps.userPoolId, record.tenantId)).map((u) => u.username)
    : (record.closureDisabledUsers ?? []);
  const enabled = await setUsersEnabled(deps.cognito, deps.userPoolId, usernames, true);
  await deps.registry.clearClosureUsers(record.tenantId);
  return { enabled, legacy };
}

export interface UsersDeleted {
  /** Users this call deleted (a rerun deletes the rest of an interrupted run). */
  readonly deleted: number;
  /** Whether this call deleted the group (false: it was already gone). */
  readonly groupDeleted: boolean;
}

/**
 * Deletes every user of group `tenant-<tenantId>`, then the group, for the purge: the user pool
 * keeps nothing of a purged tenant. Lists the first page again after each batch (deleting
 * invalidates pagination) until the group is empty; a user or group already gone counts as done,
 * so a rerun converges. Returns counts only: usernames may be personal data.
 */
export async function deleteTenantUsers(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  tenantId: string,
  concurrency = 4,
): Promise<UsersDeleted> {
  const GroupName = tenantGroupName(tenantId);
  let deleted = 0;
  for (;;) {
    let page: string[];
    try {
      const out = await cognito.send(
        new ListUsersInGroupCommand({ UserPoolId: userPoolId, GroupName, Limit: 60 }),
      );
      page = namesOf(out.Users ?? []);
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return { deleted, groupDeleted: false };
      throw error;
    }
    if (page.length === 0) break;
    deleted += await forEachUser(page, concurrency, (Username) =>
      cognito.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username })),
    );
  }
  try {
    await cognito.send(new DeleteGroupCommand({ UserPoolId: userPoolId, GroupName }));
    return { deleted, groupDeleted: true };
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return { deleted, groupDeleted: false };
    throw error;
  }
}
