/**
 * Runs `task` over `items` in order from `from`, with at most `limit` in flight, until every item
 * ran, a task returns `'stop'`, or `canStart(item)` says no for the next one; returns how many
 * items (from the first) were started, so that all of them before that index ran to completion.
 * The first failure stops new work and is rethrown once the running tasks settle.
 */
export async function runBounded<T>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<'stop' | void>,
  options: { readonly from?: number; readonly canStart?: (item: T) => boolean } = {},
): Promise<number> {
  const from = options.from ?? 0;
  let next = from;
  let stop = false;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (!stop && failure === undefined && next < items.length) {
      const item = items[next] as T;
      if (options.canStart && !options.canStart(item)) {
        stop = true;
        return;
      }
      const index = next++;
      try {
        if ((await task(item, index)) === 'stop') stop = true;
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const workers = Math.max(1, Math.min(limit, items.length - from));
  await Promise.all(Array.from({ length: workers }, worker));
  if (failure) throw failure.error;
  return next;
}

/**
 * Runs `task` over `items` with at most `limit` in flight, preserving the input order in the
 * result. The first failure stops new work and is rethrown once the running tasks settle.
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  await runBounded(items, limit, async (item, index) => {
    results[index] = await task(item, index);
  });
  return results;
}
