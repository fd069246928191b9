import { OperationFailedError, formatElapsed, parseTime, waitFor } from '../../lib/recovery';
import { fakeRuntime } from './fakes';

test('waitFor backs off x1.5 up to the cap, prints transitions and heartbeats with elapsed time', async () => {
  const rt = fakeRuntime();
  const states = [
    'creating',
    'creating',
    'creating',
    'creating',
    'creating',
    'creating',
    'backing-up',
    'available',
  ];
  await waitFor(rt, { what: 'cluster c', fix: 'look', maxDelayMs: 20_000 }, async () => {
    const status = states.shift() ?? 'available';
    return { status, done: status === 'available' };
  });
  expect(rt.sleeps).toEqual([5000, 7500, 11250, 16875, 20000, 20000, 20000]);
  expect(rt.terminal.lines).toEqual([
    'Waiting for cluster c ...',
    '  [0s] cluster c: (start) -> creating',
    '  [40s] cluster c: still creating',
    '  [1m 20s] cluster c: creating -> backing-up',
    '  [1m 40s] cluster c: backing-up -> available',
    '  [1m 40s] cluster c: done',
  ]);
});

test('waitFor stops on a failure or a timeout with the fix', async () => {
  const rt = fakeRuntime();
  await expect(
    waitFor(rt, { what: 'job j', fix: 'describe it' }, async () => ({
      status: 'FAILED',
      done: false,
      failure: 'FAILED: no capacity',
    })),
  ).rejects.toThrow(
    new OperationFailedError('job j failed after 0s: FAILED: no capacity', 'describe it'),
  );
  await expect(
    waitFor(rt, { what: 'job j', fix: 'describe it', timeoutMs: 60_000 }, async () => ({
      status: 'RUNNING',
      done: false,
    })),
  ).rejects.toThrow(/gave up waiting for job j after 1m \d\ds \(last status: RUNNING\)/);
});

test('formatElapsed and parseTime', () => {
  expect(formatElapsed(3_725_000)).toBe('1h 02m 05s');
  expect(parseTime('--to-time', '2025-03-01T13:30:00+11:00').toISOString()).toBe(
    '2025-03-01T02:30:00.000Z',
  );
  expect(() => parseTime('--to-time', 'yesterday')).toThrow(
    /--to-time: "yesterday" is not an ISO-8601 time/,
  );
});

test.each([
  '2026-11-31T02:30:00Z',
  '2026-02-29T02:30:00Z',
  '2026-13-01T02:30:00Z',
  '2026-00-10T02:30:00Z',
  '2026-03-01T24:00:00Z',
  '2026-03-01T02:60:00Z',
  '2026-03-01T02:30:61+11:00',
])('parseTime refuses the impossible %s instead of rolling it over', (value) => {
  expect(() => parseTime('--to-time', value)).toThrow(/does not exist/);
});

test('parseTime accepts a leap day and the last day of a month', () => {
  expect(parseTime('--to-time', '2028-02-29T00:00:00Z').toISOString()).toBe(
    '2028-02-29T00:00:00.000Z',
  );
  expect(parseTime('--to-time', '2026-11-30T23:59:59Z').toISOString()).toBe(
    '2026-11-30T23:59:59.000Z',
  );
});
