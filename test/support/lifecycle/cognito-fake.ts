import {
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  CognitoIdentityProviderClient,
  ListUsersInGroupCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';

/**
 * Cognito through aws-sdk-client-mock, with state: groups `tenant-<id>` of users with an
 * Enabled flag, pages of 2 users so that pagination is exercised.
 */
export interface CognitoFake {
  readonly client: CognitoIdentityProviderClient;
  readonly users: Map<string, { group: string; enabled: boolean }>;
  /** Make AdminDisableUser fail for the next `n` calls (a crash mid-way). */
  failDisables(n: number): void;
}

export function cognitoFake(groups: Record<string, number>): CognitoFake {
  const client = new CognitoIdentityProviderClient({ region: 'ap-southeast-2' });
  const mock = mockClient(client);
  const users = new Map<string, { group: string; enabled: boolean }>();
  for (const [tenantId, n] of Object.entries(groups)) {
    for (let i = 0; i < n; i++)
      users.set(`${tenantId}-user-${i}`, { group: `tenant-${tenantId}`, enabled: true });
  }
  let failing = 0;
  mock.on(ListUsersInGroupCommand).callsFake((input) => {
    const members = [...users.entries()].filter(([, u]) => u.group === input.GroupName);
    if (members.length === 0)
      throw new ResourceNotFoundException({ message: 'Group not found', $metadata: {} });
    const start = Number(input.NextToken ?? 0);
    const page = members.slice(start, start + 2);
    return {
      Users: page.map(([name, u]) => ({ Username: name, Enabled: u.enabled })),
      NextToken: start + 2 < members.length ? String(start + 2) : undefined,
    };
  });
  mock.on(AdminDisableUserCommand).callsFake((input) => {
    if (failing > 0) {
      failing -= 1;
      throw new Error('Cognito throttled');
    }
    users.get(input.Username)!.enabled = false;
    return {};
  });
  mock.on(AdminEnableUserCommand).callsFake((input) => {
    users.get(input.Username)!.enabled = true;
    return {};
  });
  return {
    client,
    users,
    failDisables: (n) => (failing = n),
  };
}

export function enabledUsers(fake: CognitoFake, tenantId: string): number {
  return [...fake.users.values()].filter((u) => u.group === `tenant-${tenantId}` && u.enabled)
    .length;
}
