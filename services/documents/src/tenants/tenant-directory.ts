import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { TenantSettings } from './tenant-settings';
import { settingsFromItem } from './tenant-settings';

/** What the service knows of a tenant: its lifecycle state and its settings. */
export interface TenantEntry {
  /** `ACTIVE`, `DEACTIVATED`, ... ; undefined for a tenant the registry does not know. */
  readonly state: string | undefined;
  readonly settings: TenantSettings;
}

export interface DirectoryOptions {
  readonly table: string;
  /** How long one read is reused; 0: every request reads the registry. */
  readonly cacheSeconds: number;
  readonly clock?: () => number;
}

/**
 * The small cached registry client of services: one GetItem per tenant per `cacheSeconds`
 * (concurrent requests share the read in flight), reading only the lifecycle state and the
 * settings. A deactivation reaches every task within `cacheSeconds`; the tenant's sessions are
 * revoked and no new token is issued at once, so the cache only widens that window for tokens
 * already issued.
 */
export class TenantDirectory {
  private readonly cache = new Map<string, { at: number; entry: Promise<TenantEntry> }>();
  private readonly clock: () => number;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly options: DirectoryOptions,
  ) {
    this.clock = options.clock ?? Date.now;
  }

  async get(tenantId: string): Promise<TenantEntry> {
    const now = this.clock();
    const cached = this.cache.get(tenantId);
    if (cached && now - cached.at < this.options.cacheSeconds * 1000) return cached.entry;
    const entry = this.read(tenantId);
    this.cache.set(tenantId, { at: now, entry });
    entry.catch(() => this.cache.delete(tenantId));
    if (this.cache.size > 10_000) this.cache.delete(this.cache.keys().next().value!);
    return entry;
  }

  private async read(tenantId: string): Promise<TenantEntry> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.options.table,
        Key: { tenantId },
        ProjectionExpression: '#state, #settings',
        ExpressionAttributeNames: { '#state': 'lifecycleState', '#settings': 'settings' },
      }),
    );
    if (!out.Item) return { state: undefined, settings: settingsFromItem(tenantId, undefined) };
    // A tenant registered before the lifecycle existed has no state: it is ACTIVE.
    const state = (out.Item.lifecycleState as string | undefined) ?? 'ACTIVE';
    return { state, settings: settingsFromItem(tenantId, out.Item.settings) };
  }
}
