import type { PoolClient } from 'pg';
import type { DbConnector } from './contracts';

/**
 * Works through `items` in order on up to `connections` database connections at once, each
 * worker on its own connection (opened with `open`, e.g. to begin a transaction, and closed with
 * `close` once its share is done). Before taking an item a worker asks `stop()`; once it says
 * so, or once any item failed, no item is started any more, the items under way finish, and the
 * first failure is rethrown (after ROLLBACK on the failed worker's connection). Returns whether
 * every item was done.
 */
export async function drainOnConnections<T>(
  db: DbConnector,
  items: readonly T[],
  connections: number,
  work: {
    readonly stop: () => boolean;
    readonly open?: (client: PoolClient) => Promise<void>;
    readonly item: (client: PoolClient, item: T) => Promise<void>;
    readonly close?: (client: PoolClient) => Promise<void>;
  },
): Promise<boolean> {
  let next = 0;
  let done = 0;
  let stopped = false;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    if (next >= items.length || failure || stopped) return;
    const client = await db.connect();
    let broken: Error | undefined;
    try {
      await work.open?.(client);
      while (failure === undefined && next < items.length) {
        if (work.stop()) {
          stopped = true;
          break;
        }
        const item = items[next++] as T;
        await work.item(client, item);
        done++;
      }
      await work.close?.(client);
    } catch (error) {
      failure ??= { error };
      await client.query('ROLLBACK').catch((e: Error) => (broken = e));
    } finally {
      // A connection that cannot even roll back is discarded, not handed to the next caller.
      client.release(broken);
    }
  };
  const width = Math.max(1, Math.min(connections, items.length));
  await Promise.all(Array.from({ length: width }, worker));
  if (failure) throw failure.error;
  return done === items.length;
}
