import type { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TenantDirectory } from '../../../services/documents/src/tenants/tenant-directory';
import { UnreadableSettings } from '../../../services/documents/src/tenants/tenant-settings';

/** A registry of one table in memory, counting reads, shaped as the DocumentClient's GetItem. */
function registry(items: Record<string, Record<string, unknown>>) {
  const reads: string[] = [];
  const doc = {
    send: async (command: GetCommand) => {
      const id = command.input.Key!.tenantId as string;
      reads.push(id);
      await new Promise((r) => setTimeout(r, 5));
      return { Item: items[id] };
    },
  } as unknown as DynamoDBDocumentClient;
  return { doc, reads, items };
}

describe('TenantDirectory (the service side of the registry)', () => {
  test('one read per tenant per cache period, shared by concurrent requests', async () => {
    let now = 0;
    const r = registry({ a: { tenantId: 'a', lifecycleState: 'ACTIVE' } });
    const directory = new TenantDirectory(r.doc, {
      table: 't',
      cacheSeconds: 30,
      clock: () => now,
    });
    await Promise.all([directory.get('a'), directory.get('a'), directory.get('a')]);
    expect(r.reads).toEqual(['a']);
    // Deactivated meanwhile: seen once the cached read is older than the cache period.
    r.items.a = { tenantId: 'a', lifecycleState: 'DEACTIVATED' };
    now = 29_999;
    expect((await directory.get('a')).state).toBe('ACTIVE');
    now = 30_000;
    expect((await directory.get('a')).state).toBe('DEACTIVATED');
    expect(r.reads).toEqual(['a', 'a']);
  });

  test('cache 0 reads every time; unknown tenant has no state; old items are ACTIVE', async () => {
    const r = registry({ old: { tenantId: 'old' } });
    const directory = new TenantDirectory(r.doc, { table: 't', cacheSeconds: 0 });
    expect((await directory.get('old')).state).toBe('ACTIVE');
    expect((await directory.get('old')).settings.modules).toEqual(['documents']);
    expect((await directory.get('nobody')).state).toBeUndefined();
    await directory.get('old');
    expect(r.reads).toEqual(['old', 'old', 'nobody', 'old']);
  });

  test('settings of a version the service does not know fail closed, and are not cached', async () => {
    const r = registry({
      b: {
        tenantId: 'b',
        lifecycleState: 'ACTIVE',
        settings: { schemaVersion: 2, plan: 'x', modules: ['documents'] },
      },
    });
    const directory = new TenantDirectory(r.doc, { table: 't', cacheSeconds: 30 });
    await expect(directory.get('b')).rejects.toBeInstanceOf(UnreadableSettings);
    await expect(directory.get('b')).rejects.toThrow(
      /deploy a version of the service that reads it/,
    );
    expect(r.reads).toEqual(['b', 'b']);
  });
});
