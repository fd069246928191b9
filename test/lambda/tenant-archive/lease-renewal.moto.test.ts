import 'aws-sdk-client-mock-jest';
import type {
  ArchiveBudget,
  ArchiveCheckpoint,
  ArchiveRequest,
  ArchiveResult,
} from '../../../lambda/shared/archive/archive-tenant';
import { standaloneWriter } from '../../../lambda/shared/lifecycle/writer-region';
import { processArchiveJob } from '../../../lambda/tenant-archive/archive-job';
import { leaseHarness, useMotoRegistry } from '../../support/lifecycle/lease-harness';
import { auditTrail, registerTenant } from '../../support/lifecycle/registry-tables';

/**
 * A tenant larger than one invocation: the engine checkpoints (small time budget) several times
 * while the clock moves past the lease the sweep gave at its claim. The lease must follow the
 * progress, or the next sweep re-claims the tenant and a second job archives it at the same time.
 */
const policy = { graceDays: 90, archiveRetentionDays: 365, leaseMinutes: 60, maxClaims: 5 };
const T0 = Date.parse('2026-04-02T02:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

const world = useMotoRegistry();

let n = 0;
async function dueTenant(): Promise<string> {
  n += 1;
  const id = `lease-${n}`;
  await registerTenant(world.doc, world.tables.registry, id, {
    lifecycleState: 'DEACTIVATED',
    version: 2,
    deactivatedAt: '2026-01-01T00:00:00.000Z',
    graceEndsAt: '2026-04-01T00:00:00.000Z',
    dueAt: '2026-04-01T00:00:00.000Z',
  });
  return id;
}

function harness() {
  const h = leaseHarness<{ tenantId: string; at: string }>(world.registry, policy, at(0));
  // The engine: out of time (checkpoint) while the budget is short and work remains.
  const archive = async (
    req: ArchiveRequest,
    budget?: ArchiveBudget,
  ): Promise<ArchiveResult | ArchiveCheckpoint> => {
    if (await h.engineRun({ tenantId: req.tenantId, at: h.clock().toISOString() }, budget)) {
      return { status: 'in-progress', archiveId: req.archiveId, next: 'build' };
    }
    return {
      status: 'complete',
      archiveId: req.archiveId,
      manifestKey: `archive/${req.tenantId}/${req.archiveId}/manifest.json`,
      rowCounts: { shipments: 1 },
      objectCount: 1,
      retainUntil: req.retainUntil,
    };
  };
  const deliver = (body: string) =>
    h.deliver(body, 'archive', (job) =>
      processArchiveJob(
        {
          registry: world.registry,
          policy,
          logger: h.logger,
          clock: h.clock,
          archive,
          writer: standaloneWriter('test-aurora'),
        },
        job,
        { remainingMs: () => 1 },
      ),
    );
  return { ...h, deliver };
}

test('each checkpoint renews the lease: a sweep after the first lease ends re-claims nothing, one job archives', async () => {
  const id = await dueTenant();
  const h = harness();
  h.checkpoints(2);
  expect((await h.sweep()).claimed).toBe(1);
  const [body] = h.sent();
  expect(JSON.parse(body)).toMatchObject({ tenantId: id, claim: 1 });

  h.setNow(at(50)); // first invocation, 50 minutes after the claim: checkpoints
  expect((await h.deliver(body)).batchItemFailures).toHaveLength(1);
  expect(await world.registry.get(id)).toMatchObject({
    lifecycleState: 'ARCHIVING',
    dueAt: at(110).toISOString(),
    claimCount: 1,
  });

  h.setNow(at(70)); // past the claim's lease (60 min): the job is still progressing
  const second = await h.sweep();
  expect(second).toMatchObject({ claimed: 0, notDue: 0 });
  expect(h.sent()).toHaveLength(1);

  h.setNow(at(100)); // second invocation: checkpoints again, lease to 160
  await h.deliver(body);
  expect(await world.registry.get(id)).toMatchObject({ dueAt: at(160).toISOString() });
  h.setNow(at(140));
  expect((await h.sweep()).claimed).toBe(0);

  h.setNow(at(150)); // third invocation finishes
  expect((await h.deliver(body)).batchItemFailures).toEqual([]);
  expect(await world.registry.get(id)).toMatchObject({ lifecycleState: 'ARCHIVED' });
  expect(h.engineRuns.map((r) => r.at)).toEqual(
    [at(50), at(100), at(150)].map((d) => d.toISOString()),
  );
  const events = (await auditTrail(world.doc, world.tables.audit, id)).map((a) => a.event);
  expect(events).toEqual([
    'archive-claim',
    'archive-lease-renew',
    'archive-lease-renew',
    'archive-complete',
  ]);
});

test('only the lease holder renews: after a re-claim the older job neither runs nor extends the lease', async () => {
  const id = await dueTenant();
  const h = harness();
  await h.sweep();
  const [first] = h.sent();

  // The first job's worker never ran (lost, throttled): the lease ends and the sweep re-claims.
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
  expect(await world.registry.get(id)).toMatchObject({ lifecycleState: 'ARCHIVED' });
});

test('a job that loses its lease during its run stops at its checkpoint instead of renewing', async () => {
  const id = await dueTenant();
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
    lifecycleState: 'ARCHIVING',
    claimCount: 2,
    dueAt: at(121).toISOString(),
  });
  const events = (await auditTrail(world.doc, world.tables.audit, id)).map((a) => a.event);
  expect(events).toEqual(['archive-claim', 'archive-reclaim']);
});
