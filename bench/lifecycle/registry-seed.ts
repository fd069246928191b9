import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';

export const tenantIdOf = (i: number): string => `t${String(i).padStart(6, '0')}`;

/** Writes items with BatchWriteItem (25 per request, `parallel` requests in flight, unprocessed retried). */
export async function batchPut(
  doc: DynamoDBDocumentClient,
  table: string,
  items: Record<string, unknown>[],
  parallel = 8,
): Promise<void> {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < batches.length) {
        let requests = batches[next++].map((Item) => ({ PutRequest: { Item } }));
        while (requests.length > 0) {
          const out = await doc.send(
            new BatchWriteCommand({ RequestItems: { [table]: requests } }),
          );
          requests = (out.UnprocessedItems?.[table] ?? []) as typeof requests;
        }
      }
    }),
  );
}

export function activeItem(i: number): Record<string, unknown> {
  return { tenantId: tenantIdOf(i), lifecycleState: 'ACTIVE', version: 1, plan: 'standard' };
}

/** A tenant deactivated 91 days before `now`: its grace ended a day ago, it is due for archiving. */
export function dueItem(i: number, now: Date): Record<string, unknown> {
  const deactivatedAt = new Date(now.getTime() - 91 * 86_400_000).toISOString();
  const graceEndsAt = new Date(now.getTime() - 86_400_000).toISOString();
  return {
    tenantId: tenantIdOf(i),
    lifecycleState: 'DEACTIVATED',
    version: 2,
    plan: 'standard',
    deactivatedAt,
    graceEndsAt,
    dueAt: graceEndsAt,
  };
}

/** A tenant deactivated yesterday: in the index partition, not yet due. */
export function graceItem(i: number, now: Date): Record<string, unknown> {
  const deactivatedAt = new Date(now.getTime() - 86_400_000).toISOString();
  const graceEndsAt = new Date(now.getTime() + 89 * 86_400_000).toISOString();
  return {
    tenantId: tenantIdOf(i),
    lifecycleState: 'DEACTIVATED',
    version: 2,
    deactivatedAt,
    graceEndsAt,
    dueAt: graceEndsAt,
  };
}
