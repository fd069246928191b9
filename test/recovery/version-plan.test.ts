import { planKey } from '../../lib/recovery';
import type { VersionEntry } from '../../lib/recovery';

const T = new Date('2025-03-01T02:30:00Z');
const at = (iso: string) => new Date(iso);
const v = (id: string, time: string, extra: Partial<VersionEntry> = {}): VersionEntry => ({
  versionId: id,
  lastModified: at(time),
  isLatest: false,
  deleteMarker: false,
  etag: `"${id}"`,
  size: 10,
  ...extra,
});
const plan = (entries: VersionEntry[], keepNewKeys = false) =>
  planKey({ key: 'tenants/a/x.pdf', entries }, T, { keepNewKeys });

describe('planKey: the state of one key at T, without deleting versions', () => {
  test('overwritten after T: copy the newest version at or before T', () => {
    const result = plan([
      v('v3', '2025-03-01T03:00:00Z', { isLatest: true }),
      v('v2', '2025-03-01T02:30:00Z'),
      v('v1', '2025-03-01T01:00:00Z'),
    ]);
    expect(result).toMatchObject({
      action: 'copy',
      from: { versionId: 'v2' },
      current: { versionId: 'v3' },
    });
  });

  test('deleted after T: copy the version at T (under the delete marker)', () => {
    expect(
      plan([
        v('dm', '2025-03-01T03:00:00Z', { isLatest: true, deleteMarker: true }),
        v('v1', '2025-03-01T01:00:00Z'),
      ]),
    ).toMatchObject({ action: 'copy', from: { versionId: 'v1' }, current: undefined });
  });

  test('the version at T is current: unchanged', () => {
    expect(plan([v('v1', '2025-03-01T01:00:00Z', { isLatest: true })])).toEqual({
      action: 'unchanged',
      reason: 'the version at T is current',
    });
  });

  test('the current version has the same ETag and size (restored before): unchanged', () => {
    expect(
      plan([
        v('v3', '2025-03-01T04:00:00Z', { isLatest: true, etag: '"v1"' }),
        v('v2', '2025-03-01T03:00:00Z'),
        v('v1', '2025-03-01T01:00:00Z'),
      ]),
    ).toMatchObject({ action: 'unchanged' });
  });

  test('created after T: a delete marker, or skipped with --keep-new-keys', () => {
    const entries = [v('v1', '2025-03-01T03:00:00Z', { isLatest: true })];
    expect(plan(entries)).toEqual({
      action: 'delete-marker',
      reason: 'did not exist at T (created after it)',
    });
    expect(plan(entries, true)).toEqual({
      action: 'skip',
      reason: 'created after T; kept visible by --keep-new-keys',
    });
  });

  test('deleted at T and re-created after: a delete marker', () => {
    expect(
      plan([
        v('v2', '2025-03-01T03:00:00Z', { isLatest: true }),
        v('dm', '2025-03-01T02:00:00Z', { deleteMarker: true }),
        v('v1', '2025-03-01T01:00:00Z'),
      ]),
    ).toEqual({ action: 'delete-marker', reason: 'was deleted at T' });
  });

  test('absent at T and deleted now: unchanged', () => {
    expect(
      plan([
        v('dm', '2025-03-01T04:00:00Z', { isLatest: true, deleteMarker: true }),
        v('v1', '2025-03-01T03:00:00Z'),
      ]),
    ).toMatchObject({ action: 'unchanged' });
  });

  test('a version at T in an archive class or over 5 GiB is skipped with the reason', () => {
    const current = v('v2', '2025-03-01T03:00:00Z', { isLatest: true });
    expect(
      plan([current, v('v1', '2025-03-01T01:00:00Z', { storageClass: 'DEEP_ARCHIVE' })]),
    ).toMatchObject({
      action: 'skip',
      reason: expect.stringContaining('DEEP_ARCHIVE'),
    });
    expect(plan([current, v('v1', '2025-03-01T01:00:00Z', { size: 6 * 1024 ** 3 })])).toMatchObject(
      {
        action: 'skip',
        reason: expect.stringContaining('larger than 5 GiB'),
      },
    );
  });

  test('equal timestamps keep S3 listing order (newest first)', () => {
    expect(
      plan([
        v('v3', '2025-03-01T03:00:00Z', { isLatest: true }),
        v('v2', '2025-03-01T02:00:00Z'),
        v('v1', '2025-03-01T02:00:00Z'),
      ]),
    ).toMatchObject({ action: 'copy', from: { versionId: 'v2' } });
  });
});
