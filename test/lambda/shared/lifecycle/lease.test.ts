import { jobBody, parseJob } from '../../../../lambda/shared/lifecycle/job-message';
import type { LifecycleJob } from '../../../../lambda/shared/lifecycle/rules';
import { holdsLease, releaseLease, renewLease } from '../../../../lambda/shared/lifecycle/lease';
import type { TenantRecord } from '../../../../lambda/shared/lifecycle/tenant';

const policy = { graceDays: 90, archiveRetentionDays: 365, leaseMinutes: 60, maxClaims: 5 };
const now = new Date('2026-04-02T03:00:00.000Z');
const archiving = (claimCount: number, version = 4): TenantRecord => ({
  tenantId: 'acme',
  lifecycleState: 'ARCHIVING',
  version,
  archiveId: 'a1',
  claimCount,
  dueAt: '2026-04-02T02:30:00.000Z',
  attributeNames: ['tenantId', 'lifecycleState', 'version', 'archiveId', 'claimCount', 'dueAt'],
});
const job = (claim?: number, version = 3): LifecycleJob => ({
  type: 'archive',
  tenantId: 'acme',
  version,
  archiveId: 'a1',
  ...(claim === undefined ? {} : { claim }),
});

test('the holder is the job of the latest claim; an older job, another archive or state is not', () => {
  expect(holdsLease(archiving(2), job(2))).toBe(true);
  expect(holdsLease(archiving(2), job(1))).toBe(false);
  expect(holdsLease({ ...archiving(2), archiveId: 'other' }, job(2))).toBe(false);
  expect(holdsLease({ ...archiving(2), lifecycleState: 'ARCHIVED' }, job(2))).toBe(false);
  // A message from before `claim` existed holds the lease while the registry is at its version.
  expect(holdsLease(archiving(1, 3), job(undefined, 3))).toBe(true);
  expect(holdsLease(archiving(1, 4), job(undefined, 3))).toBe(false);
});

test('renewal sets dueAt to now + lease, state and claim unchanged, conditioned on the version read', () => {
  const renewal = renewLease(archiving(2), job(2), now, policy);
  expect(renewal).toMatchObject({
    ok: true,
    event: 'archive-lease-renew',
    from: 'ARCHIVING',
    to: 'ARCHIVING',
    expectedVersion: 4,
    set: { dueAt: '2026-04-02T04:00:00.000Z', version: 5 },
  });
  expect(renewLease(archiving(3), job(2), now, policy)).toMatchObject({
    ok: false,
    code: 'LEASE_LOST',
  });
});

test('a purge renews its own lease, audited as the purge worker; an archive job cannot renew it', () => {
  const purging = { ...archiving(2), lifecycleState: 'PURGING' as const };
  const purgeJob: LifecycleJob = { ...job(2), type: 'purge' };
  expect(renewLease(purging, purgeJob, now, policy)).toMatchObject({
    ok: true,
    event: 'purge-lease-renew',
    from: 'PURGING',
    to: 'PURGING',
    set: { dueAt: '2026-04-02T04:00:00.000Z' },
    audit: { actorId: 'tenant-purge', reason: 'checkpoint: purge in progress' },
  });
  expect(renewLease(purging, job(2), now, policy)).toMatchObject({ ok: false, code: 'LEASE_LOST' });
});

test('release ends the lease now (the writer region re-claims at its next sweep); only the holder', () => {
  expect(releaseLease(archiving(2), job(2), now)).toMatchObject({
    ok: true,
    event: 'archive-lease-release',
    set: { dueAt: now.toISOString() },
    audit: { reason: 'NOT_WRITER' },
  });
  expect(releaseLease(archiving(2), job(1), now)).toMatchObject({ ok: false, code: 'LEASE_LOST' });
});

test('the job message carries the claim; a bad claim is refused naming the field', () => {
  expect(parseJob(jobBody(job(2)), 'archive')).toEqual(job(2));
  expect(parseJob(jobBody(job(undefined)), 'archive')).toEqual(job(undefined));
  expect(parseJob(JSON.stringify({ ...job(), claim: 0 }), 'archive')).toMatchObject({
    ok: false,
    code: 'INVALID_INPUT',
    details: { field: 'claim' },
  });
});
