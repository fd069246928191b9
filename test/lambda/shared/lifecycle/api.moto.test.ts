import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { reactivateTenant } from '../../../../lambda/tenant-reactivate/reactivate-tenant';
import { deactivateTenant } from '../../../../lambda/tenant-deactivate/deactivate-tenant';
import { tenantStatus } from '../../../../lambda/tenant-status/tenant-status';
import type { AdminDeps } from '../../../../lambda/shared/tenant-registry/admin-deps';
import type { RegistryTables } from '../../../../lambda/shared/tenant-registry/tenant-registry';
import { TenantRegistry } from '../../../../lambda/shared/tenant-registry/tenant-registry';
import type { TestMoto } from '../../../support/moto';
import { startMoto } from '../../../support/moto';
import { apiEvent } from '../../../support/lifecycle/api-events';
import type { CognitoFake } from '../../../support/lifecycle/cognito-fake';
import { cognitoFake, enabledUsers } from '../../../support/lifecycle/cognito-fake';
import {
  auditTrail,
  createRegistryTables,
  motoDocumentClient,
  quietLogger,
  registerTenant,
} from '../../../support/lifecycle/registry-tables';

let moto: TestMoto;
let doc: DynamoDBDocumentClient;
let tables: RegistryTables;
let cognito: CognitoFake;
let now: Date;
let deps: AdminDeps;

beforeAll(async () => {
  moto = await startMoto();
  const clients = motoDocumentClient(moto);
  doc = clients.doc;
  tables = await createRegistryTables(clients.ddb);
});
afterAll(async () => moto?.stop());

beforeEach(async () => {
  now = new Date('2026-02-01T09:00:00.000Z');
  cognito = cognitoFake({ acme: 5, beta: 1 });
  deps = {
    registry: new TenantRegistry(doc, tables),
    cognito: cognito.client,
    userPoolId: 'ap-southeast-2_abc',
    policy: { graceDays: 90, archiveRetentionDays: 365, leaseMinutes: 60, maxClaims: 5 },
    clock: () => now,
    logger: quietLogger(),
  };
});

const body = (res: { body: string }) => JSON.parse(res.body);
let counter = 0;
async function newTenant(users = 'acme'): Promise<string> {
  counter += 1;
  const id = `${users}-${counter}`;
  cognito.users.forEach((u) => {
    if (u.group === `tenant-${users}`) u.group = `tenant-${id}`;
  });
  await registerTenant(doc, tables.registry, id);
  return id;
}
/** `body: null` sends no body at all. */
const deact = (
  id: string | undefined,
  b: string | null = '{"reason":"CONTRACT_ENDED"}',
  claims?: Record<string, string>,
) => deactivateTenant(deps, apiEvent(id, { body: b ?? undefined, claims }));
const react = (id: string, b?: string) => reactivateTenant(deps, apiEvent(id, { body: b }));

describe('admin API handlers with real DynamoDB calls', () => {
  it('deactivates: registry state, audit, every user disabled; status shows the window', async () => {
    const id = await newTenant();
    const res = await deact(id);
    expect(res.statusCode).toBe(200);
    expect(body(res)).toMatchObject({
      tenantId: id,
      lifecycleState: 'DEACTIVATED',
      graceEndsAt: '2026-05-02T09:00:00.000Z',
      reactivationPossibleUntil: '2026-05-02T09:00:00.000Z',
      canReactivate: true,
      usersDisabled: 5,
    });
    expect(enabledUsers(cognito, id)).toBe(0);
    const status = await tenantStatus(deps, apiEvent(id, { routeKey: 'GET /tenants/{tenantId}' }));
    expect(body(status)).toMatchObject({
      lifecycleState: 'DEACTIVATED',
      deactivatedBy: 'admin-sub-1',
      version: 2,
    });
    expect(await auditTrail(doc, tables.audit, id)).toEqual([
      expect.objectContaining({
        event: 'deactivate',
        actorKind: 'user',
        actorId: 'admin-sub-1',
        reason: 'CONTRACT_ENDED',
      }),
    ]);
  });

  it('a retry after a failure while disabling users answers 409 and finishes the users', async () => {
    const id = await newTenant();
    cognito.failDisables(1);
    const first = await deact(id).catch((e: Error) => e);
    expect(first).toBeInstanceOf(Error);
    expect((await deps.registry.get(id))?.lifecycleState).toBe('DEACTIVATED');
    expect(enabledUsers(cognito, id)).toBeGreaterThan(0);
    const retry = await deact(id);
    expect(retry.statusCode).toBe(409);
    expect(body(retry)).toMatchObject({
      error: 'WRONG_STATE',
      details: { usersDisabledNow: expect.any(Number) },
    });
    expect(enabledUsers(cognito, id)).toBe(0);
    expect(await auditTrail(doc, tables.audit, id)).toHaveLength(1);
  });

  it('reactivates within the window: users enabled, registry ACTIVE, audit appended', async () => {
    const id = await newTenant();
    await deact(id);
    now = new Date('2026-05-02T08:59:59.000Z');
    const res = await react(id, '{"reason":"CONTRACT_RENEWED"}');
    expect(res.statusCode).toBe(200);
    expect(body(res)).toMatchObject({ lifecycleState: 'ACTIVE', version: 3, canDeactivate: true });
    expect(enabledUsers(cognito, id)).toBe(5);
    expect((await auditTrail(doc, tables.audit, id)).map((a) => a.event)).toEqual([
      'deactivate',
      'reactivate',
    ]);
  });

  it('a reactivation whose registry write fails, retried after the grace period: users stay disabled', async () => {
    const id = await newTenant();
    await deact(id);
    now = new Date('2026-05-02T08:00:00.000Z');
    jest
      .spyOn(deps.registry, 'apply')
      .mockRejectedValueOnce(new Error('ProvisionedThroughputExceededException'));
    await expect(react(id)).rejects.toThrow(/ProvisionedThroughput/);
    expect(enabledUsers(cognito, id)).toBe(0); // registry first: nobody was enabled
    now = new Date('2026-05-02T10:00:00.000Z'); // the retry comes after the grace end
    const res = await react(id);
    expect(res.statusCode).toBe(409);
    expect(body(res)).toMatchObject({ error: 'GRACE_EXPIRED' });
    expect(enabledUsers(cognito, id)).toBe(0);
    expect(await deps.registry.get(id)).toMatchObject({ lifecycleState: 'DEACTIVATED' });
  });

  it('re-enables only the users the closure disabled, not one an administrator had disabled', async () => {
    const id = await newTenant();
    cognito.users.get('acme-user-2')!.enabled = false; // disabled for another reason
    await deact(id);
    expect(await deps.registry.get(id)).toMatchObject({
      closureDisabledUsers: ['acme-user-0', 'acme-user-1', 'acme-user-3', 'acme-user-4'],
    });
    const res = await react(id);
    expect(res.statusCode).toBe(200);
    expect(body(res)).toMatchObject({ usersEnabled: 4 });
    expect(cognito.users.get('acme-user-2')!.enabled).toBe(false);
    expect(enabledUsers(cognito, id)).toBe(4);
    expect((await deps.registry.get(id))?.closureDisabledUsers).toBeUndefined();
  });

  it('a reactivation that stopped after its registry write is finished by the retry', async () => {
    const id = await newTenant();
    await deact(id);
    const enable = jest
      .spyOn(cognito.client, 'send')
      .mockImplementationOnce(() => Promise.reject(new Error('Cognito throttled')));
    await expect(react(id)).rejects.toThrow(/throttled/);
    enable.mockRestore();
    expect(await deps.registry.get(id)).toMatchObject({ lifecycleState: 'ACTIVE' });
    const res = await react(id);
    expect(res.statusCode).toBe(409);
    expect(body(res)).toMatchObject({ details: { usersEnabledNow: 5 } });
    expect(enabledUsers(cognito, id)).toBe(5);
  });

  it('a tenant without a users group is deactivated and reactivated all the same', async () => {
    const id = await newTenant('nobody');
    expect((await deact(id)).statusCode).toBe(200);
    expect((await react(id)).statusCode).toBe(200);
  });
});

describe('admin API bad input: a clear error, nothing changed, logged', () => {
  async function unchanged<T>(id: string, act: () => Promise<T>): Promise<T> {
    const before = await deps.registry.get(id);
    const trail = await auditTrail(doc, tables.audit, id);
    const users = [...cognito.users.values()].map((u) => u.enabled);
    const result = await act();
    expect(await deps.registry.get(id)).toEqual(before);
    expect(await auditTrail(doc, tables.audit, id)).toEqual(trail);
    expect([...cognito.users.values()].map((u) => u.enabled)).toEqual(users);
    return result;
  }

  it.each([
    ['no body', null, /body is missing/],
    ['not JSON', '{reason', /not valid JSON/],
    ['an array', '["x"]', /JSON object/],
    ['no reason', '{}', /field reason must be one of CONTRACT_ENDED, /],
    ['a number', '{"reason":42}', /field reason/],
    ['a blank reason', '{"reason":"   "}', /field reason/],
    ['free text', '{"reason":"contract ended"}', /a code, not free text/],
    ['personal data', '{"reason":"Jane Doe asked by phone"}', /a code, not free text/],
    ['a code in lower case', '{"reason":"contract_ended"}', /field reason must be one of/],
  ])('deactivation with %s: 400 naming the field', async (_what, b, message) => {
    const id = await newTenant();
    const warn = jest.spyOn(deps.logger, 'warn');
    const res = await unchanged(id, () => deact(id, b));
    expect(res.statusCode).toBe(400);
    expect(body(res)).toMatchObject({
      error: 'INVALID_INPUT',
      message: expect.stringMatching(message),
    });
    expect(warn).toHaveBeenCalledWith(
      'deactivation refused',
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });

  it.each([['../etc'], [''], ['a'.repeat(65)], ['tenant/x']])(
    'a malformed tenant id %p: 400',
    async (bad) => {
      const res = await deact(bad);
      expect(res.statusCode).toBe(400);
      expect(body(res).message).toMatch(/path parameter tenantId/);
    },
  );

  it('an unknown tenant: 404 on every route', async () => {
    for (const res of [
      await deact('ghost'),
      await react('ghost'),
      await tenantStatus(deps, apiEvent('ghost')),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(body(res)).toMatchObject({
        error: 'UNKNOWN_TENANT',
        message: 'tenant ghost is not in the registry',
      });
    }
  });

  it('a token without sub or client_id: 401', async () => {
    const id = await newTenant();
    const res = await unchanged(id, () => deact(id, undefined, {}));
    expect(res.statusCode).toBe(401);
  });

  it('a machine client is recorded by its client_id', async () => {
    const id = await newTenant();
    await deact(id, '{"reason":"NON_PAYMENT"}', { client_id: 'ops-automation' });
    expect((await auditTrail(doc, tables.audit, id))[0]).toMatchObject({
      actorKind: 'client',
      actorId: 'ops-automation',
    });
  });

  it('reactivation of an ACTIVE tenant: 409, nothing changed', async () => {
    const id = await newTenant();
    const res = await unchanged(id, () => react(id));
    expect(res.statusCode).toBe(409);
    expect(body(res).message).toMatch(/already ACTIVE/);
  });

  it('reactivation after the window: 409 with the window end date, users stay disabled', async () => {
    const id = await newTenant();
    await deact(id);
    now = new Date('2026-05-02T09:00:00.000Z');
    const warn = jest.spyOn(deps.logger, 'warn');
    const res = await unchanged(id, () => react(id));
    expect(res.statusCode).toBe(409);
    expect(body(res)).toMatchObject({
      error: 'GRACE_EXPIRED',
      details: { graceEndsAt: '2026-05-02T09:00:00.000Z' },
    });
    expect(body(res).message).toMatch(/grace window ended at 2026-05-02T09:00:00.000Z/);
    expect(warn).toHaveBeenCalledWith(
      'reactivation refused',
      expect.objectContaining({ code: 'GRACE_EXPIRED' }),
    );
  });

  it('reactivation and deactivation of an ARCHIVED tenant: 409 saying it can never be restored', async () => {
    const id = await newTenant();
    await registerTenant(doc, tables.registry, id, {
      lifecycleState: 'ARCHIVED',
      archiveId: 'a1',
      purgeAt: '2027-01-01T00:00:00.000Z',
      dueAt: '2027-01-01T00:00:00.000Z',
    });
    for (const act of [() => react(id), () => deact(id)]) {
      const res = await unchanged(id, act);
      expect(res.statusCode).toBe(409);
      expect(body(res).message).toMatch(/it is ARCHIVED; .*can never be restored to a live tenant/);
    }
  });

  it('logs never carry the reason or the actor id', async () => {
    const id = await newTenant();
    const calls: unknown[] = [];
    for (const level of ['info', 'warn', 'error'] as const) {
      jest
        .spyOn(deps.logger, level)
        .mockImplementation((...args: unknown[]) => void calls.push(args));
    }
    await deact(id, '{"reason":"Jane Doe asked by phone"}'); // refused: not a code
    await deact(id, '{"reason":"CUSTOMER_REQUEST"}');
    await deact(id, '{"reason":"CUSTOMER_REQUEST"}');
    const text = JSON.stringify(calls);
    expect(text).not.toMatch(/Jane Doe|admin-sub-1/);
    // Nothing but the code reaches the append-only audit trail.
    const reasons = (await auditTrail(doc, tables.audit, id)).map((a) => a.reason);
    expect(reasons).toEqual(['CUSTOMER_REQUEST']);
    expect(calls.length).toBeGreaterThan(0);
  });
});
