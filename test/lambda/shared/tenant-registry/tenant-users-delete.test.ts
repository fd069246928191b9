import {
  AdminDeleteUserCommand,
  CognitoIdentityProviderClient,
  DeleteGroupCommand,
  ListUsersInGroupCommand,
  ResourceNotFoundException,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { deleteTenantUsers } from '../../../../lambda/shared/tenant-registry/tenant-users';

const POOL = 'ap-southeast-2_AbCdEf123';

/** A pool with groups of users; ListUsersInGroup pages of 2, AdminDeleteUser removes for real. */
function pool(groups: Record<string, string[]>, options: { vanishing?: string } = {}) {
  const client = new CognitoIdentityProviderClient({ region: 'ap-southeast-2' });
  const mock = mockClient(client);
  const members = new Map(Object.entries(groups).map(([g, users]) => [g, [...users]]));
  mock.on(ListUsersInGroupCommand).callsFake((input) => {
    const users = members.get(input.GroupName);
    if (!users) throw new ResourceNotFoundException({ message: 'Group not found', $metadata: {} });
    return {
      Users: users.slice(0, 2).map((Username) => ({ Username })),
      NextToken: users.length > 2 ? 'more' : undefined,
    };
  });
  mock.on(AdminDeleteUserCommand).callsFake((input) => {
    for (const users of members.values()) {
      const i = users.indexOf(input.Username);
      if (i >= 0) users.splice(i, 1);
    }
    if (input.Username === options.vanishing) {
      throw new UserNotFoundException({ message: 'User does not exist.', $metadata: {} });
    }
    return {};
  });
  mock.on(DeleteGroupCommand).callsFake((input) => {
    if (!members.delete(input.GroupName)) {
      throw new ResourceNotFoundException({ message: 'Group not found', $metadata: {} });
    }
    return {};
  });
  return { client, members };
}

test("deletes every user of the tenant's group across pages, then the group; other tenants untouched", async () => {
  const { client, members } = pool({
    'tenant-acme': ['a1', 'a2', 'a3', 'a4', 'a5'],
    'tenant-globex': ['g1', 'g2'],
  });
  await expect(deleteTenantUsers(client, POOL, 'acme')).resolves.toEqual({
    deleted: 5,
    groupDeleted: true,
  });
  expect([...members.keys()]).toEqual(['tenant-globex']);
  expect(members.get('tenant-globex')).toEqual(['g1', 'g2']);
});

test('a rerun after a crash converges: users or group already gone count as done', async () => {
  const { client, members } = pool({ 'tenant-acme': ['a1', 'a2', 'a3'] }, { vanishing: 'a2' });
  await expect(deleteTenantUsers(client, POOL, 'acme')).resolves.toEqual({
    deleted: 2,
    groupDeleted: true,
  });
  expect(members.size).toBe(0);
  await expect(deleteTenantUsers(client, POOL, 'acme')).resolves.toEqual({
    deleted: 0,
    groupDeleted: false,
  });
});
