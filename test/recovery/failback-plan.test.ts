import type { ObjectFacts } from '../../lib/recovery/failback-plan';
import {
  fullObjectSha256,
  lockToApply,
  planFailback,
  sameContentByChecksum,
  sourceExclusion,
} from '../../lib/recovery/failback-plan';
import { coveredBy } from '../../lib/recovery/failback-scan';

const NOW = new Date('2026-12-10T00:00:00Z');
const day = (d: number) => new Date(NOW.getTime() + d * 86_400_000);
const facts = (over: Partial<ObjectFacts> = {}): ObjectFacts => ({
  versionId: 'v1',
  lastModified: new Date('2026-12-05T10:00:00Z'),
  size: 10,
  legalHold: false,
  ...over,
});

test('a composite SHA-256 (multipart) is never taken for the digest of the bytes', () => {
  expect(fullObjectSha256('abc=')).toBe('abc=');
  expect(fullObjectSha256('abc=-3')).toBeUndefined();
  expect(fullObjectSha256('abc=', 'COMPOSITE')).toBeUndefined();
  // An answer without suffix and type (moto's HeadObject): the multipart ETag tells.
  expect(
    fullObjectSha256('abc=', undefined, '"9b2cf535f27731c974343645a3985328-2"'),
  ).toBeUndefined();
  expect(fullObjectSha256('abc=', undefined, '"9b2cf535f27731c974343645a3985328"')).toBe('abc=');
});

test('content: a different size says no, two SHA-256 checksums decide, else the bytes must be read', () => {
  expect(sameContentByChecksum(facts({ size: 4 }), facts({ size: 5 }))).toBe(false);
  expect(sameContentByChecksum(facts({ sha256: 'a' }), facts({ sha256: 'a' }))).toBe(true);
  expect(sameContentByChecksum(facts({ sha256: 'a' }), facts({ sha256: 'b' }))).toBe(false);
  // Same size alone is never taken for the same content.
  expect(sameContentByChecksum(facts({ sha256: 'a' }), facts())).toBeUndefined();
});

test('a replica is never brought back; an archived storage class is skipped with the fix', () => {
  expect(sourceExclusion(facts({ replicationStatus: 'REPLICA' }))).toBe('replica');
  expect(sourceExclusion(facts({ replicationStatus: 'COMPLETED' }))).toBeUndefined();
  expect(sourceExclusion(facts({ storageClass: 'GLACIER' }))).toMatch(/restore-object/);
});

test('the lock of a copy is never shorter or weaker than its source', () => {
  const compliance = { mode: 'COMPLIANCE' as const, until: day(30) };
  expect(
    lockToApply({ retention: compliance, legalHold: false }, { legalHold: false }, NOW),
  ).toEqual({
    retention: compliance,
    legalHold: false,
  });
  // The copy's default retention already lasts longer in the same mode: nothing to put.
  const longer = { mode: 'COMPLIANCE' as const, until: day(40) };
  expect(
    lockToApply(
      { retention: compliance, legalHold: false },
      { retention: longer, legalHold: false },
      NOW,
    ),
  ).toBeUndefined();
  // A longer GOVERNANCE default and a COMPLIANCE source: COMPLIANCE until the later date.
  expect(
    lockToApply(
      { retention: compliance, legalHold: false },
      { retention: { mode: 'GOVERNANCE', until: day(40) }, legalHold: false },
      NOW,
    ),
  ).toEqual({ retention: { mode: 'COMPLIANCE', until: day(40) }, legalHold: false });
  // A shorter one is extended.
  expect(
    lockToApply(
      { retention: compliance, legalHold: false },
      { retention: { mode: 'COMPLIANCE', until: day(1) }, legalHold: false },
      NOW,
    ),
  ).toEqual({ retention: compliance, legalHold: false });
  // An expired retention asks for nothing (S3 refuses a date in the past); a legal hold is kept.
  expect(
    lockToApply(
      { retention: { mode: 'GOVERNANCE', until: day(-1) }, legalHold: true },
      { legalHold: false },
      NOW,
    ),
  ).toEqual({ legalHold: true });
});

test("the primary's entry decides: absent, deleted before or after, same content, newer or older other content", () => {
  const source = facts();
  expect(planFailback(source, { kind: 'absent' }, undefined, NOW)).toMatchObject({
    action: 'copy',
  });
  expect(
    planFailback(
      source,
      { kind: 'deleted', lastModified: new Date('2026-12-01T00:00:00Z') },
      undefined,
      NOW,
    ),
  ).toMatchObject({ action: 'copy' });
  expect(
    planFailback(
      source,
      { kind: 'deleted', lastModified: new Date('2026-12-06T00:00:00Z') },
      undefined,
      NOW,
    ),
  ).toMatchObject({ action: 'skip', reason: expect.stringMatching(/^deleted in the primary/) });
  const older = facts({ versionId: 'p1', lastModified: new Date('2026-11-01T00:00:00Z') });
  const newer = facts({ versionId: 'p2', lastModified: new Date('2026-12-08T00:00:00Z') });
  expect(planFailback(source, { kind: 'object', facts: newer }, true, NOW)).toEqual({
    action: 'there',
    versionId: 'p2',
  });
  expect(planFailback(source, { kind: 'object', facts: older }, false, NOW)).toMatchObject({
    action: 'copy',
  });
  expect(planFailback(source, { kind: 'object', facts: newer }, false, NOW)).toMatchObject({
    action: 'skip',
    reason: expect.stringMatching(/is newer than this one .* not overwritten/),
  });
  const locked = facts({ retention: { mode: 'COMPLIANCE', until: day(5) } });
  expect(planFailback(locked, { kind: 'object', facts: newer }, true, NOW)).toMatchObject({
    action: 'lock',
    versionId: 'p2',
  });
});

test('--prefix covers whole path segments; none covers every key', () => {
  expect(coveredBy('tenants/acme', 'tenants/acme/a.pdf')).toBe(true);
  expect(coveredBy('tenants/acme', 'tenants/acme-corp/a.pdf')).toBe(false);
  expect(coveredBy('tenants/acme/', 'tenants/acme/a.pdf')).toBe(true);
  expect(coveredBy('', 'archive/x')).toBe(true);
});
