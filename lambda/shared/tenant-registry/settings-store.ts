import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditRecord } from '../lifecycle/audit';
import type { TenantRecord } from '../lifecycle/tenant';
import { auditItem, recordFromItem } from './registry-item';
import type { TenantSettings } from './settings';
import { settingsOfItem } from './settings';
import type { RegistryTables } from './tenant-registry';

/** A tenant's registry record with its settings. */
export interface TenantWithSettings {
  readonly record: TenantRecord;
  readonly settings: TenantSettings;
}

/**
 * Settings in the registry, written like lifecycle changes: the item's `settings` and `version`
 * updated on the version read, and the audit item of the new version put in the same
 * transaction (append-only, `attribute_not_exists`). `conflict`: another writer came first.
 */
export class SettingsStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: RegistryTables,
  ) {}

  async get(tenantId: string): Promise<TenantWithSettings | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tables.registry, Key: { tenantId }, ConsistentRead: true }),
    );
    if (!out.Item) return undefined;
    return { record: recordFromItem(out.Item), settings: settingsOfItem(tenantId, out.Item) };
  }

  async write(
    current: TenantRecord,
    settings: TenantSettings,
    audit: AuditRecord,
  ): Promise<'applied' | 'conflict'> {
    const expected = current.version;
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tables.registry,
                Key: { tenantId: current.tenantId },
                UpdateExpression: 'SET #settings = :settings, #version = :version, #updated = :at',
                ConditionExpression:
                  'attribute_exists(#tenantId) AND ' +
                  (expected === undefined
                    ? 'attribute_not_exists(#version)'
                    : '#version = :expected'),
                ExpressionAttributeNames: {
                  '#tenantId': 'tenantId',
                  '#settings': 'settings',
                  '#version': 'version',
                  '#updated': 'updatedAt',
                },
                ExpressionAttributeValues: {
                  ':settings': settings,
                  ':version': audit.version,
                  ':at': audit.at,
                  ...(expected === undefined ? {} : { ':expected': expected }),
                },
              },
            },
            {
              Put: {
                TableName: this.tables.audit,
                Item: auditItem(audit),
                ConditionExpression: 'attribute_not_exists(tenantId)',
              },
            },
          ],
        }),
      );
      return 'applied';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const [registry] = error.CancellationReasons ?? [];
      if (registry?.Code === 'ConditionalCheckFailed' || registry?.Code === 'TransactionConflict') {
        return 'conflict';
      }
      throw error;
    }
  }
}
