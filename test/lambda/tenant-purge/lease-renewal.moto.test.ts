import 'aws-sdk-client-mock-jest';
import type { ArchiveBudget } from '../../../lambda/shared/archive/contracts';
import type {
  PurgeCheckpoint,
  PurgeRequest,
  PurgeResult,
} from '../../../lambda/shared/archive/purge-tenant';
import { processPurgeJob } from '../../../lambda/tenant-purge/purge-job';
import { leaseHarness, useMotoRegistry } from '../../support/lifecycle/lease-harness';
import { auditTrail, registerTenant } from '../../support/lifecycle/registry-tables';

/**
 * A purge longer than one invocation, as the archive's lease-renewal test (tenant-archive/): the
 * engine checkpoints (small time budget) while the clock moves past the lease the sweep gave at
 * its claim. The lease must follow the progress, or the next sweep re-claims the tenant and a
 * second job purges it at the same time.
 */
const policy = { graceDays: 90, archiveRetentionDays: 365, leaseMinutes: 60, maxClaims: 5 };
const T0 = Date.parse('2027-04-03T02:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

const world = useMotoRegistry();

let n = 0;
async function purgeDueTenant(): Promise<string> {
  n += 1;
  const id = `purge-lease-${n}`;
  await registerTenant(world.doc, world.tables.registry, id, {
    lifecycleState: 'ARCHIVED',
    version: 4,
    deactivatedAt: '2026-01-01T00:00:00.000Z',
    archiveId: `closure-${id}`,
    archivedAt: '2026-04-02T00:00:00.000Z',
    purgeAt: '2027-04-02T00:00:00.000Z',
    dueAt: '2027-04-02T00:00:00.000Z',
  });
  return id;
}

function harness() {
  const h = leaseHarness<string>(world.registry, policy, at(0));
  // The engine: out of time (checkpoint) while the budget is short and work remains.
  const purge = async (
    _req: PurgeRequest,
    budget?: ArchiveBudget,
  ): Promise<PurgeResult | PurgeCheckpoint> => {
    if (await h.engineRun(h.clock().toISOString(), budget)) {
      return { status: 'in-progress', deletedVersions: 1000 };
    }
    return { deletedVersions: 7 };
  };
  const deliver = (body: string) =>
    h.deliver(body, 'purge', (job) =>
      processPurgeJob(
        {
          registry: world.registry,
          policy,
          logger: h.logger,
          clock: h.clock,
          purge,
          deleteUsers: async () => ({ deleted: 2, groupDeleted: true }),
        },
        job,
        { remainingMs: () => 1 },
      ),
    );
  return { ...h, deliver };
}

test('each checkpoint of a purge renews its lease: a sweep after the first lease ends re-claims nothing, one job purges', async () => {
  const id = await purgeDueTenant();
  const h = harness();
  h.checkpoints(2);
  expect((await h.sweep()).claimed).toBe(1);
  const [body] = h.sent();
  expect(JSON.parse(body)).toMatchObject({ type: 'purge', tenantId: id, claim: 1 });

  h.setNow(at(50)); // first invocation, 50 minutes after the claim: checkpoints
  expect((await h.deliver(body)).batchItemFailures).toHaveLength(1);
  expect(await world.registry.get(id)).toMatchObject({
    lifecycleState: 'PURGING',
    dueAt: at(110).toISOString(),
    claimCount: 1,
  });

  h.setNow(at(70)); // past the claim's lease (60 min): the purge is still progressing
  expect(await h.sweep()).toMatchObject({ claimed: 0 });
  expect(h.sent()).toHaveLength(1);

  h.setNow(at(100)); // second invocation: checkpoints again, lease to 160
  await h.deliver(body);
  expect(await world.registry.get(id)).toMatchObject({ dueAt: at(160).toISOString() });
  h.setNow(at(140));
  expect((await h.sweep()).claimed).toBe(0);

  h.setNow(at(150)); // third invocation finishes
  expect((await h.deliver(body)).batchItemFailures).toEqual([]);
  expect(await world.registry.get(id)).toMatchObject({ lifecycleState: 'PURGED' });
  expect(h.engineRuns).toEqual([at(50), at(100), at(150)].map((d) => d.toISOString()));
  const events = (await auditTrail(world.doc, world.tables.audit, id)).map((a) => a.event);
  expect(events).toEqual([
    'purge-claim',
    'purge-lease-renew',
    'purge-lease-renew',
    'purge-complete',
  ]);
});

test('only the purge lease holder runs and renews: a superseded job does nothing', async () => {
  const id = await purgeDueTenant();
  const h = harness();
  await h.sweep();
  const [first] = h.sent();

  // The first job never ran: its lease ends and the sweep re-claims (claim 2).
  h.setNow(at(61));
  expect((await h.sweep()).claimed).toBe(1);
  const second = h.sent()[1];
  expect(JSON.parse(second)).toMatchObject({ tenantId: id, claim: 2 });
  const reclaimed = await world.registry.get(id);

  // The first job arrives late: superseded, no engine run, registry untouched.
  h.setNow(at(62));
  expect((await h.deliver(first)).batchItemFailures).toEqual([]);
  expect(h.engineRuns).toEqual([]);
  expect(await world.registry.get(id)).toEqual(reclaimed);

  // The holder's job checkpoints and renews; then finishes.
  h.checkpoints(1);
  await h.deliver(second);
  expect(await world.registry.get(id)).toMatchObject({
    claimCount: 2,
    dueAt: at(122).toISOString(),
  });
  await h.deliver(second);
  expect(await world.registry.get(id)).toMatchObject({ lifecycleState: 'PURGED' });
});

test('a purge job that loses its lease during its run stops at its checkpoint instead of renewing', async () => {
  const id = await purgeDueTenant();
  const h = harness();
  await h.sweep();
  const [first] = h.sent();
  h.checkpoints(1);
  // While the first job's engine runs, its lease expires and a sweep re-claims the tenant.
  h.during(async () => {
    h.setNow(at(61));
    expect((await h.sweep()).claimed).toBe(1);
  });
  h.setNow(at(30));
  expect((await h.deliver(first)).batchItemFailures).toEqual([]);
  expect(await world.registry.get(id)).toMatchObject({
    lifecycleState: 'PURGING',
    claimCount: 2,
    dueAt: at(121).toISOString(),
  });
  const events = (await auditTrail(world.doc, world.tables.audit, id)).map((a) => a.event);
  expect(events).toEqual(['purge-claim', 'purge-reclaim']);
});
