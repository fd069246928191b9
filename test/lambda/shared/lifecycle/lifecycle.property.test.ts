import fc from 'fast-check';
import type { Actor } from '../../../../lambda/shared/lifecycle/audit';
import { addDays, addMinutes } from '../../../../lambda/shared/lifecycle/dates';
import type { LifecyclePolicy } from '../../../../lambda/shared/lifecycle/policy';
import type { LifecycleJob } from '../../../../lambda/shared/lifecycle/rules';
import {
  archiveRetainUntil,
  checkJob,
  claimDue,
  completeArchive,
  completePurge,
  deactivate,
  reactivate,
} from '../../../../lambda/shared/lifecycle/rules';
import { isAllowedMove } from '../../../../lambda/shared/lifecycle/states';
import { TOMBSTONE_ATTRIBUTES } from '../../../../lambda/shared/lifecycle/tenant';
import type { TenantRecord } from '../../../../lambda/shared/lifecycle/tenant';
import { activeTenant, MemoryRegistry } from './memory-registry';

type Op =
  | { kind: 'deactivate' }
  | { kind: 'reactivate' }
  | { kind: 'sweep' }
  | { kind: 'archive-complete' }
  | { kind: 'purge-complete' }
  | { kind: 'crash' }
  | { kind: 'stale-write'; back: number }
  | { kind: 'advance-days'; days: number }
  | { kind: 'advance-minutes'; minutes: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'deactivate' } as Op), weight: 3 },
  { arbitrary: fc.constant({ kind: 'reactivate' } as Op), weight: 2 },
  { arbitrary: fc.constant({ kind: 'sweep' } as Op), weight: 6 },
  { arbitrary: fc.constant({ kind: 'archive-complete' } as Op), weight: 3 },
  { arbitrary: fc.constant({ kind: 'purge-complete' } as Op), weight: 3 },
  { arbitrary: fc.constant({ kind: 'crash' } as Op), weight: 1 },
  {
    arbitrary: fc.integer({ min: 1, max: 4 }).map((back) => ({ kind: 'stale-write', back }) as Op),
    weight: 2,
  },
  {
    arbitrary: fc
      .integer({ min: 0, max: 400 })
      .map((days) => ({ kind: 'advance-days', days }) as Op),
    weight: 4,
  },
  {
    arbitrary: fc
      .integer({ min: 1, max: 2000 })
      .map((minutes) => ({ kind: 'advance-minutes', minutes }) as Op),
    weight: 2,
  },
);

const policyArb = fc.record({
  graceDays: fc.integer({ min: 1, max: 120 }),
  archiveRetentionDays: fc.integer({ min: 1, max: 400 }),
  leaseMinutes: fc.integer({ min: 1, max: 1440 }),
  maxClaims: fc.integer({ min: 1, max: 6 }),
});

const ADMIN: Actor = { kind: 'user', id: 'sub-1' };
const ms = (iso: string | undefined): number => Date.parse(iso ?? 'x');

/** Runs one operation sequence; returns the registry for the invariant checks. */
function run(policy: LifecyclePolicy, ops: Op[]) {
  const reg = new MemoryRegistry(activeTenant());
  let now = new Date('2026-01-01T00:00:00.000Z');
  const jobs: LifecycleJob[] = [];
  const retainUntilByArchive = new Map<string, number>();
  const claimTimes: { event: string; at: number; record: TenantRecord }[] = [];
  for (const op of ops) {
    const before = reg.record;
    switch (op.kind) {
      case 'deactivate':
      case 'reactivate': {
        const input = { actor: ADMIN, reason: 'test', now };
        const d =
          op.kind === 'deactivate' ? deactivate(before, input, policy) : reactivate(before, input);
        if (d.ok) expect(reg.apply(d)).toBe('applied');
        break;
      }
      case 'sweep': {
        const c = claimDue(before, now, policy);
        if (c.ok && reg.apply(c) === 'applied' && !('failed' in c)) {
          jobs.push(c.job);
          claimTimes.push({ event: c.event, at: now.getTime(), record: before });
        }
        break;
      }
      case 'archive-complete':
      case 'purge-complete': {
        const type = op.kind === 'archive-complete' ? 'archive' : 'purge';
        const job = jobs.find((j) => j.type === type);
        if (!job) break;
        jobs.splice(jobs.indexOf(job), 1);
        const check = checkJob(reg.record, job, now);
        if (!check.ok || check.action !== 'run') break;
        let d;
        if (type === 'archive') {
          const retainUntil = archiveRetainUntil(now, policy);
          retainUntilByArchive.set(job.archiveId, retainUntil.getTime());
          d = completeArchive(
            reg.record,
            {
              archiveId: job.archiveId,
              now,
              retainUntil,
              manifestKey: 'm',
              rowCounts: { t: 1 },
              objectCount: 1,
            },
            policy,
          );
        } else {
          d = completePurge(reg.record, { archiveId: job.archiveId, now, deletedVersions: 2 });
        }
        expect(d.ok).toBe(true);
        if (d.ok) expect(reg.apply(d)).toBe('applied');
        break;
      }
      case 'crash':
        jobs.shift(); // a worker died (or a message was lost) before completing its job
        break;
      case 'stale-write': {
        const old = reg.history[Math.max(0, reg.history.length - 1 - op.back)];
        const d = claimDue(old, now, policy);
        const r = deactivate(old, { actor: ADMIN, reason: 'stale', now }, policy);
        for (const t of [d, r]) {
          if (t.ok && old !== reg.record) expect(reg.apply(t)).toBe('conflict');
        }
        break;
      }
      case 'advance-days':
        now = addDays(now, op.days);
        break;
      case 'advance-minutes':
        now = addMinutes(now, op.minutes);
        break;
    }
  }
  return { reg, retainUntilByArchive, claimTimes };
}

describe('lifecycle core: any sequence of operations and clock advances', () => {
  it('keeps every invariant', () => {
    const reached = new Map<string, number>();
    fc.assert(
      fc.property(policyArb, fc.array(opArb, { minLength: 20, maxLength: 80 }), (policy, ops) => {
        const { reg, retainUntilByArchive } = run(policy, ops);
        const { audit, history } = reg;
        for (const a of audit) reached.set(a.event, (reached.get(a.event) ?? 0) + 1);
        // one audit record per transition, versions strictly increasing by one
        expect(audit).toHaveLength(history.length - 1);
        history.forEach((r, i) => expect(r.version).toBe(1 + i));
        audit.forEach((a, i) => {
          expect(a.version).toBe(2 + i);
          expect(a.fromState).toBe(history[i].lifecycleState);
          expect(a.toState).toBe(history[i + 1].lifecycleState);
          // forward only, except DEACTIVATED -> ACTIVE
          expect(isAllowedMove(a.fromState, a.toState)).toBe(true);
          const prev = history[i];
          const at = ms(a.at);
          if (a.event === 'reactivate') expect(at).toBeLessThan(ms(prev.graceEndsAt));
          if (a.event === 'archive-claim') {
            expect(at).toBeGreaterThanOrEqual(ms(prev.graceEndsAt));
            expect(ms(prev.graceEndsAt)).toBe(
              ms(prev.deactivatedAt) + policy.graceDays * 86_400_000,
            );
          }
          if (a.event === 'archive-reclaim' || a.event === 'purge-reclaim') {
            expect(at).toBeGreaterThanOrEqual(ms(prev.dueAt));
            expect(a.archiveId).toBe(prev.archiveId);
            // never more claims of one step than the policy allows
            expect(history[i + 1].claimCount).toBeLessThanOrEqual(policy.maxClaims);
          }
          if (a.event === 'archive-failed' || a.event === 'purge-failed') {
            // given up only after maxClaims claims and an expired lease, with a reason code
            expect(prev.claimCount ?? 1).toBeGreaterThanOrEqual(policy.maxClaims);
            expect(at).toBeGreaterThanOrEqual(ms(prev.dueAt));
            expect(a.reason).toBe('CLAIMS_EXHAUSTED');
          }
          if (a.event === 'archive-complete') {
            const next = history[i + 1];
            expect(ms(next.purgeAt)).toBeGreaterThanOrEqual(
              at + policy.archiveRetentionDays * 86_400_000,
            );
            expect(ms(next.purgeAt)).toBeGreaterThanOrEqual(
              retainUntilByArchive.get(a.archiveId!)!,
            );
          }
          if (a.event === 'purge-claim' || a.event === 'purge-complete') {
            expect(at).toBeGreaterThanOrEqual(ms(prev.purgeAt));
            expect(ms(prev.purgeAt)).toBeGreaterThanOrEqual(
              ms(prev.archivedAt) + policy.archiveRetentionDays * 86_400_000,
            );
          }
        });
        // one closure, one archive id
        expect(
          new Set(audit.filter((a) => a.archiveId).map((a) => a.archiveId)).size,
        ).toBeLessThanOrEqual(1);
        // a tombstone holds nothing but identity, state, version, dates and the archive id
        if (reg.record.lifecycleState === 'PURGED') {
          for (const name of Object.keys(reg.record)) {
            if (name !== 'attributeNames') expect(TOMBSTONE_ATTRIBUTES.has(name)).toBe(true);
          }
        }
      }),
      { numRuns: 400 },
    );
    // the generated sequences exercise every kind of transition, not only the first steps
    for (const event of [
      'deactivate',
      'reactivate',
      'archive-claim',
      'archive-reclaim',
      'archive-complete',
      'purge-claim',
      'purge-complete',
      'archive-failed',
    ]) {
      expect({ event, count: reached.get(event) ?? 0 }).toEqual({
        event,
        count: expect.any(Number),
      });
      expect(reached.get(event) ?? 0).toBeGreaterThanOrEqual(5); // archive-failed is the rarest: about 15-25 in 400 runs
    }
  });

  it('reaches PURGED through every state when time passes (the model is not vacuous)', () => {
    const policy = { graceDays: 90, archiveRetentionDays: 365, leaseMinutes: 60, maxClaims: 5 };
    const ops: Op[] = [
      { kind: 'deactivate' },
      { kind: 'advance-days', days: 90 },
      { kind: 'sweep' },
      { kind: 'crash' },
      { kind: 'advance-minutes', minutes: 61 },
      { kind: 'sweep' },
      { kind: 'archive-complete' },
      { kind: 'advance-days', days: 366 },
      { kind: 'sweep' },
      { kind: 'purge-complete' },
    ];
    const { reg } = run(policy, ops);
    expect(reg.audit.map((a) => a.event)).toEqual([
      'deactivate',
      'archive-claim',
      'archive-reclaim',
      'archive-complete',
      'purge-claim',
      'purge-complete',
    ]);
    expect(reg.record).not.toHaveProperty('contactEmail');
    expect(reg.record).not.toHaveProperty('deactivationReason');
  });
});
