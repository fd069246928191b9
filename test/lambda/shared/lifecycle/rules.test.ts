import { deriveArchiveId } from '../../../../lambda/shared/lifecycle/archive-id';
import type { Actor } from '../../../../lambda/shared/lifecycle/audit';
import {
  claimDue,
  completeArchive,
  completePurge,
  deactivate,
  reactivate,
} from '../../../../lambda/shared/lifecycle/rules';
import type { Claim } from '../../../../lambda/shared/lifecycle/rules';
import { defineContract, readEnvironment } from '../../../../lambda/shared/contract';
import { lifecycleSettings, policyOf } from '../../../../lambda/shared/lifecycle/settings';
import { DEFAULT_POLICY } from '../../../../lambda/shared/lifecycle/policy';
import type { TenantRecord } from '../../../../lambda/shared/lifecycle/tenant';
import type { Transition } from '../../../../lambda/shared/lifecycle/transition';
import { activeTenant, MemoryRegistry } from './memory-registry';

const policy = { graceDays: 90, archiveRetentionDays: 365, leaseMinutes: 60, maxClaims: 5 };
const admin: Actor = { kind: 'user', id: 'sub-9' };
const t0 = new Date('2026-03-01T10:00:00.000Z');
const at = (days: number) => new Date(t0.getTime() + days * 86_400_000);

function ok<T extends { ok: boolean }>(
  d: T | { ok: false; message: string },
): Extract<T, { ok: true }> {
  if (!d.ok) throw new Error(`refused: ${(d as { message: string }).message}`);
  return d as Extract<T, { ok: true }>;
}

function deactivated(): MemoryRegistry {
  const reg = new MemoryRegistry(activeTenant());
  reg.apply(
    ok(deactivate(reg.record, { actor: admin, reason: 'contract ended', now: t0 }, policy)),
  );
  return reg;
}

describe('lifecycle rules', () => {
  it('deactivation records who, when, why and the grace end, and makes the grace end due', () => {
    const reg = deactivated();
    expect(reg.record).toMatchObject({
      lifecycleState: 'DEACTIVATED',
      version: 2,
      deactivatedAt: '2026-03-01T10:00:00.000Z',
      deactivatedBy: 'sub-9',
      deactivationReason: 'contract ended',
      graceEndsAt: '2026-05-30T10:00:00.000Z',
      dueAt: '2026-05-30T10:00:00.000Z',
    });
    expect(reg.audit[0]).toMatchObject({
      version: 2,
      fromState: 'ACTIVE',
      toState: 'DEACTIVATED',
      actorKind: 'user',
      actorId: 'sub-9',
    });
  });

  it('refuses a second deactivation, saying until when reactivation is possible', () => {
    const reg = deactivated();
    const d = deactivate(reg.record, { actor: admin, reason: 'again', now: at(1) }, policy);
    expect(d).toMatchObject({ ok: false, code: 'WRONG_STATE' });
    expect(!d.ok && d.message).toContain('can be reactivated until 2026-05-30T10:00:00.000Z');
  });

  it('reactivates before the grace end and refuses at and after it, naming the window end', () => {
    const reg = deactivated();
    expect(reactivate(reg.record, { actor: admin, reason: '', now: at(89.99) }).ok).toBe(true);
    const late = reactivate(reg.record, { actor: admin, reason: '', now: at(90) });
    expect(late).toMatchObject({
      ok: false,
      code: 'GRACE_EXPIRED',
      details: { graceEndsAt: '2026-05-30T10:00:00.000Z' },
    });
  });

  it('reactivation clears the closure so a later closure gets a new archive id', () => {
    const reg = deactivated();
    reg.apply(ok(reactivate(reg.record, { actor: admin, reason: 'back', now: at(10) })));
    expect(reg.record).toMatchObject({ lifecycleState: 'ACTIVE', reactivatedBy: 'sub-9' });
    expect(reg.record).not.toHaveProperty('dueAt');
    expect(reg.record).not.toHaveProperty('graceEndsAt');
    const again = ok(deactivate(reg.record, { actor: admin, reason: 'left', now: at(20) }, policy));
    expect(again.next.graceEndsAt).toBe(at(110).toISOString());
  });

  it('claims for archiving only from the grace end, with a deterministic archive id', () => {
    const reg = deactivated();
    expect(claimDue(reg.record, at(89), policy)).toMatchObject({ ok: false, code: 'NOT_DUE' });
    const claim = ok(claimDue(reg.record, at(90), policy)) as Claim;
    expect(claim.job).toEqual({
      type: 'archive',
      tenantId: 'acme',
      version: 3,
      archiveId: deriveArchiveId('acme', t0.toISOString()),
      claim: 1,
    });
    expect(claim.job.archiveId).toMatch(/^20260301T100000Z-[0-9a-f]{16}$/);
    reg.apply(claim);
    // lease: a re-claim only after dueAt, same archive id, next version
    expect(claimDue(reg.record, at(90), policy)).toMatchObject({ ok: false, code: 'NOT_DUE' });
    const again = ok(
      claimDue(reg.record, new Date(at(90).getTime() + 61 * 60_000), policy),
    ) as Claim;
    expect(again).toMatchObject({
      event: 'archive-reclaim',
      job: { archiveId: claim.job.archiveId, version: 4 },
    });
  });

  it('fixes the archive lock end once, at the first claim; a re-claim keeps it', () => {
    const reg = deactivated();
    reg.apply(ok(claimDue(reg.record, at(90), policy)) as Claim);
    const fixed = at(90 + 365).toISOString();
    expect(reg.record).toMatchObject({ archiveRetainUntil: fixed });
    reg.apply(ok(claimDue(reg.record, at(95), policy)) as Claim);
    expect(reg.record).toMatchObject({ archiveRetainUntil: fixed, claimCount: 2 });
  });

  it('completes the archive with the purge date and purges only from it, leaving a tombstone', () => {
    const reg = deactivated();
    const claim = ok(claimDue(reg.record, at(90), policy)) as Claim;
    reg.apply(claim);
    const retainUntil = at(90 + 365);
    const done = ok(
      completeArchive(
        reg.record,
        {
          archiveId: claim.job.archiveId,
          now: at(90),
          retainUntil,
          manifestKey: 'k',
          rowCounts: { a: 2, b: 3 },
          objectCount: 4,
        },
        policy,
      ),
    ) as Transition;
    expect(done.audit.details).toMatchObject({ rowCount: 5, objectCount: 4 });
    reg.apply(done);
    expect(reg.record).toMatchObject({
      lifecycleState: 'ARCHIVED',
      purgeAt: retainUntil.toISOString(),
      dueAt: retainUntil.toISOString(),
    });
    expect(claimDue(reg.record, at(90 + 364), policy)).toMatchObject({
      ok: false,
      code: 'NOT_DUE',
    });
    const purge = ok(claimDue(reg.record, at(90 + 365), policy)) as Claim;
    reg.apply(purge);
    const tomb = ok(
      completePurge(reg.record, {
        archiveId: claim.job.archiveId,
        now: at(456),
        deletedVersions: 9,
      }),
    ) as Transition;
    reg.apply(tomb);
    expect(Object.keys(reg.record).sort()).toEqual([
      'archiveId',
      'archivedAt',
      'archivingStartedAt',
      'attributeNames',
      'deactivatedAt',
      'graceEndsAt',
      'lifecycleState',
      'purgeAt',
      'purgedAt',
      'purgingStartedAt',
      'tenantId',
      'updatedAt',
      'version',
    ]);
  });

  it('refuses completing an archive with another archive id', () => {
    const reg = deactivated();
    reg.apply(ok(claimDue(reg.record, at(90), policy)) as Claim);
    const d = completeArchive(
      reg.record,
      {
        archiveId: 'other',
        now: at(90),
        retainUntil: at(455),
        manifestKey: 'k',
        rowCounts: {},
        objectCount: 0,
      },
      policy,
    );
    expect(d).toMatchObject({ ok: false, code: 'ARCHIVE_MISMATCH' });
  });

  it('treats an item without version as version 0 and conditions on its absence', () => {
    const legacy: TenantRecord = {
      tenantId: 'old',
      lifecycleState: 'ACTIVE',
      version: undefined,
      attributeNames: ['tenantId'],
    };
    const d = ok(deactivate(legacy, { actor: admin, reason: 'r', now: t0 }, policy)) as Transition;
    expect(d).toMatchObject({ expectedVersion: undefined, version: 1 });
  });
});

describe('handler settings', () => {
  const contract = defineContract('tenant-x', {
    GRACE_DAYS: lifecycleSettings.graceDays(),
    ARCHIVE_RETENTION_DAYS: lifecycleSettings.archiveRetentionDays(),
    LEASE_MINUTES: lifecycleSettings.leaseMinutes(),
    TABLE_NAME: lifecycleSettings.registryTable(),
  });

  it('names every missing or malformed variable at once', () => {
    expect(() => readEnvironment(contract, { GRACE_DAYS: 'ninety', LEASE_MINUTES: '0' })).toThrow(
      /tenant-x: invalid environment: GRACE_DAYS: retention.closureGraceDays, in days, .* \(got "ninety"\); ARCHIVE_RETENTION_DAYS: .* \(missing\); LEASE_MINUTES: .* \(got "0"\); TABLE_NAME: .* \(missing\)/,
    );
  });

  it('reads the config values and defaults the lease', () => {
    const settings = readEnvironment(contract, {
      GRACE_DAYS: '120',
      ARCHIVE_RETENTION_DAYS: '400',
      TABLE_NAME: 'registry',
    });
    expect(
      policyOf({
        graceDays: settings.GRACE_DAYS,
        archiveRetentionDays: settings.ARCHIVE_RETENTION_DAYS,
        leaseMinutes: settings.LEASE_MINUTES,
      }),
    ).toEqual({ graceDays: 120, archiveRetentionDays: 400, leaseMinutes: 720, maxClaims: 5 });
    expect(policyOf({})).toEqual(DEFAULT_POLICY);
  });
});
