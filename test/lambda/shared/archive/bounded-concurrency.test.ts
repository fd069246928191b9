import { mapBounded, runBounded } from '../../../../lambda/shared/archive/bounded-concurrency';

const tick = () => new Promise((r) => setTimeout(r, 1));

test('never more than the limit in flight, results in input order', async () => {
  let running = 0;
  let peak = 0;
  const results = await mapBounded([5, 1, 4, 2, 3], 2, async (n) => {
    peak = Math.max(peak, ++running);
    await new Promise((r) => setTimeout(r, n));
    running--;
    return n * 10;
  });
  expect(results).toEqual([50, 10, 40, 20, 30]);
  expect(peak).toBe(2);
});

test("a task's 'stop' starts nothing more; the count says how many started", async () => {
  const seen: number[] = [];
  const started = await runBounded([0, 1, 2, 3, 4, 5], 1, async (n) => {
    seen.push(n);
    await tick();
    return n === 2 ? 'stop' : undefined;
  });
  expect(seen).toEqual([0, 1, 2]);
  expect(started).toBe(3);
});

test('canStart refusing the next item stops there; from skips the first items', async () => {
  const seen: number[] = [];
  const started = await runBounded(
    [0, 1, 2, 3, 4],
    2,
    async (n) => {
      seen.push(n);
      await tick();
    },
    { from: 1, canStart: (n) => n < 4 },
  );
  expect(seen.sort()).toEqual([1, 2, 3]);
  expect(started).toBe(4);
});

test('the first failure is rethrown after the running tasks settle, and stops new work', async () => {
  const seen: number[] = [];
  await expect(
    runBounded([0, 1, 2, 3, 4, 5], 2, async (n) => {
      seen.push(n);
      await tick();
      if (n === 1) throw new Error('boom');
    }),
  ).rejects.toThrow('boom');
  expect(seen).not.toContain(5);
});
