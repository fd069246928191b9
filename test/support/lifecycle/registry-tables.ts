import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../../lambda/shared/tenant-registry/document-client';
import type { RegistryTables } from '../../../lambda/shared/tenant-registry/tenant-registry';
import type { TestMoto } from '../moto';

/** Fresh registry + audit tables with the Data stack's key schema and the `state-due` GSI. */
export async function createRegistryTables(ddb: DynamoDBClient): Promise<RegistryTables> {
  // Unique across the run's shared moto_server (a counter per file would repeat in the next file).
  const suffix = randomUUID().slice(0, 8);
  const tables = { registry: `registry-${suffix}`, audit: `audit-${suffix}` };
  await ddb.send(
    new CreateTableCommand({
      TableName: tables.registry,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'tenantId', AttributeType: 'S' },
        { AttributeName: 'lifecycleState', AttributeType: 'S' },
        { AttributeName: 'dueAt', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'tenantId', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'state-due',
          KeySchema: [
            { AttributeName: 'lifecycleState', KeyType: 'HASH' },
            { AttributeName: 'dueAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
  await ddb.send(
    new CreateTableCommand({
      TableName: tables.audit,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'tenantId', AttributeType: 'S' },
        { AttributeName: 'version', AttributeType: 'N' },
      ],
      KeySchema: [
        { AttributeName: 'tenantId', KeyType: 'HASH' },
        { AttributeName: 'version', KeyType: 'RANGE' },
      ],
    }),
  );
  return tables;
}

/**
 * moto 5.2 runs requests on parallel threads and its TransactWriteItems deep-copies the table
 * and restores that copy when a condition fails, so two concurrent transactions can undo each
 * other (measured: 20 concurrent conditional updates of one item, 10 "succeeded"). DynamoDB
 * serialises writes to an item. This middleware serialises the emulator's requests across every
 * client that uses it; the callers stay fully concurrent (their requests interleave).
 */
export function serialiseRequests(client: DynamoDBClient, lock: { tail: Promise<unknown> }): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      const previous = lock.tail;
      let release!: () => void;
      lock.tail = new Promise<void>((r) => (release = r));
      await previous;
      try {
        return await next(args);
      } finally {
        release();
      }
    },
    { step: 'finalizeRequest', name: 'serialiseForMoto' },
  );
}

export function motoDocumentClient(
  moto: TestMoto,
  lock?: { tail: Promise<unknown> },
): {
  ddb: DynamoDBClient;
  doc: DynamoDBDocumentClient;
} {
  const ddb = new DynamoDBClient({ ...moto.clientConfig(), maxAttempts: 1 });
  if (lock) serialiseRequests(ddb, lock);
  return { ddb, doc: createDocumentClient(ddb) };
}

/** A registered tenant as onboarding writes it (no lifecycle attributes yet, except state). */
export async function registerTenant(
  doc: DynamoDBDocumentClient,
  table: string,
  tenantId: string,
  extra: Record<string, unknown> = {},
): Promise<void> {
  await doc.send(
    new PutCommand({
      TableName: table,
      Item: {
        tenantId,
        lifecycleState: 'ACTIVE',
        version: 1,
        displayName: `Org ${tenantId}`,
        ...extra,
      },
    }),
  );
}

export async function auditTrail(
  doc: DynamoDBDocumentClient,
  table: string,
  tenantId: string,
): Promise<Record<string, unknown>[]> {
  const out = await doc.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'tenantId = :t',
      ExpressionAttributeValues: { ':t': tenantId },
      ConsistentRead: true,
    }),
  );
  return out.Items ?? [];
}

/** A silent Logger whose calls the test can inspect with jest.spyOn. */
export function quietLogger(): Logger {
  return new Logger({ serviceName: 'lifecycle-test', logLevel: 'SILENT' });
}
