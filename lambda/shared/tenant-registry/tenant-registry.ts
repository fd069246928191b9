import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { LifecycleState } from '../lifecycle/states';
import type { TenantRecord } from '../lifecycle/tenant';
import type { Transition } from '../lifecycle/transition';
import { auditItem, recordFromItem, STATE_DUE_INDEX } from './registry-item';

export interface RegistryTables {
  /** Registry table (TABLE_NAME): key `tenantId`, GSI `state-due`. */
  readonly registry: string;
  /** Append-only audit table (AUDIT_TABLE_NAME): key `tenantId` + `version`. */
  readonly audit: string;
}

/** `conflict`: the item changed since it was read (another writer won); nothing was written. */
export type ApplyOutcome = 'applied' | 'conflict';

export interface DuePage {
  readonly records: readonly TenantRecord[];
  /** Items DynamoDB read for this page (`ScannedCount`). */
  readonly itemsRead: number;
}

/** The tenant registry and its audit trail in DynamoDB. */
export class TenantRegistry {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: RegistryTables,
  ) {}

  /** Strongly consistent read; undefined for an unknown tenant. */
  async get(tenantId: string): Promise<TenantRecord | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tables.registry, Key: { tenantId }, ConsistentRead: true }),
    );
    return out.Item ? recordFromItem(out.Item) : undefined;
  }

  /**
   * Appends usernames to the tenant's `closureDisabledUsers` (created empty when absent), only
   * while it is DEACTIVATED; false when it is not. Written before those users are disabled, so a
   * crash in between only leaves recorded users that a retry disables.
   */
  async recordClosureUsers(tenantId: string, usernames: readonly string[]): Promise<boolean> {
    return this.conditional(tenantId, 'DEACTIVATED', {
      UpdateExpression: 'SET #users = list_append(if_not_exists(#users, :empty), :users)',
      ExpressionAttributeValues: { ':empty': [], ':users': [...usernames] },
    });
  }

  /** Removes `closureDisabledUsers` once reactivation re-enabled them, only while ACTIVE. */
  async clearClosureUsers(tenantId: string): Promise<boolean> {
    return this.conditional(tenantId, 'ACTIVE', { UpdateExpression: 'REMOVE #users' });
  }

  private async conditional(
    tenantId: string,
    state: LifecycleState,
    update: { UpdateExpression: string; ExpressionAttributeValues?: Record<string, unknown> },
  ): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tables.registry,
          Key: { tenantId },
          UpdateExpression: update.UpdateExpression,
          ConditionExpression: '#state = :state',
          ExpressionAttributeNames: {
            '#users': 'closureDisabledUsers',
            '#state': 'lifecycleState',
          },
          ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':state': state },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * Writes the registry update and its audit item in ONE transaction: the update conditioned on
   * the version read, the audit put on `attribute_not_exists(tenantId)` (append-only).
   */
  async apply(t: Transition): Promise<ApplyOutcome> {
    const names: Record<string, string> = { '#tenantId': 'tenantId' };
    const values: Record<string, unknown> = {};
    const sets: string[] = [];
    Object.entries(t.set).forEach(([name, value], i) => {
      names[`#s${i}`] = name;
      values[`:s${i}`] = value;
      sets.push(`#s${i} = :s${i}`);
    });
    const removes = t.remove.map((name, i) => {
      names[`#r${i}`] = name;
      return `#r${i}`;
    });
    let condition = 'attribute_exists(#tenantId) AND ';
    names['#version'] = 'version';
    if (t.expectedVersion === undefined) {
      condition += 'attribute_not_exists(#version)';
    } else {
      condition += '#version = :expected';
      values[':expected'] = t.expectedVersion;
    }
    const update =
      `SET ${sets.join(', ')}` + (removes.length ? ` REMOVE ${removes.join(', ')}` : '');
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tables.registry,
                Key: { tenantId: t.tenantId },
                UpdateExpression: update,
                ConditionExpression: condition,
                ExpressionAttributeNames: names,
                ExpressionAttributeValues: values,
              },
            },
            {
              Put: {
                TableName: this.tables.audit,
                Item: auditItem(t.audit),
                ConditionExpression: 'attribute_not_exists(tenantId)',
              },
            },
          ],
        }),
      );
      return 'applied';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const [registry, audit] = error.CancellationReasons ?? [];
      if (registry?.Code === 'ConditionalCheckFailed' || registry?.Code === 'TransactionConflict') {
        // Another writer moved the item on (its audit item may be why the put failed too).
        return 'conflict';
      }
      if (audit?.Code === 'ConditionalCheckFailed') {
        throw new Error(
          `audit item ${t.tenantId} v${t.version} already exists while the registry was at v${t.expectedVersion}: the audit trail and the registry disagree`,
        );
      }
      throw error;
    }
  }

  /**
   * Tenants in `state` whose `dueAt` <= now, from the `state-due` index only (never a scan),
   * one page at a time. Index reads are eventually consistent: every claim is conditioned on
   * the version seen here, so a stale item only loses its claim.
   */
  async *dueTenants(state: LifecycleState, now: Date, pageSize = 100): AsyncGenerator<DuePage> {
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.tables.registry,
          IndexName: STATE_DUE_INDEX,
          KeyConditionExpression: '#state = :state AND #due <= :now',
          ExpressionAttributeNames: { '#state': 'lifecycleState', '#due': 'dueAt' },
          ExpressionAttributeValues: { ':state': state, ':now': now.toISOString() },
          Limit: pageSize,
          ExclusiveStartKey: start,
        }),
      );
      yield {
        records: (out.Items ?? []).map(recordFromItem),
        itemsRead: out.ScannedCount ?? out.Count ?? 0,
      };
      start = out.LastEvaluatedKey;
    } while (start);
  }
}
