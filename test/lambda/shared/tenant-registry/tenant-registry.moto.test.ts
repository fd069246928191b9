import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { runSweep } from '../../../../lambda/lifecycle-sweep/run-sweep';
import { deactivate } from '../../../../lambda/shared/lifecycle/rules';
import type { RegistryTables } from '../../../../lambda/shared/tenant-registry/tenant-registry';
import { TenantRegistry } from '../../../../lambda/shared/tenant-registry/tenant-registry';
import type { TestMoto } from '../../../support/moto';
import { startMoto } from '../../../support/moto';
import {
  auditTrail,
  createRegistryTables,
  motoDocumentClient,
  quietLogger,
  registerTenant,
} from '../../../support/lifecycle/registry-tables';
import { standaloneWriter } from '../../../../lambda/shared/lifecycle/writer-region';

const policy = { graceDays: 90, archiveRetentionDays: 365, leaseMinutes: 60, maxClaims: 5 };
const t0 = new Date('2026-01-10T00:00:00.000Z');
const afterGrace = new Date('2026-04-11T00:00:00.000Z');

let moto: TestMoto;
let doc: DynamoDBDocumentClient;
let tables: RegistryTables;
let registry: TenantRegistry;
let ddb: ReturnType<typeof motoDocumentClient>['ddb'];
const lock = { tail: Promise.resolve() as Promise<unknown> };

beforeAll(async () => {
  moto = await startMoto();
  const clients = motoDocumentClient(moto, lock);
  doc = clients.doc;
  ddb = clients.ddb;
});
beforeEach(async () => {
  tables = await createRegistryTables(ddb);
  registry = new TenantRegistry(doc, tables);
});
afterAll(async () => moto?.stop());

async function deactivateAt(tenantId: string, now: Date): Promise<void> {
  const record = await registry.get(tenantId);
  const d = deactivate(
    record!,
    { actor: { kind: 'user', id: 'sub-1' }, reason: 'left', now },
    policy,
  );
  if (!d.ok) throw new Error(d.message);
  expect(await registry.apply(d)).toBe('applied');
}

describe('tenant registry on moto_server', () => {
  it('writes the registry update and the audit item together, conditioned on the version', async () => {
    await registerTenant(doc, tables.registry, 'reg-1');
    const record = await registry.get('reg-1');
    const d = deactivate(
      record!,
      { actor: { kind: 'client', id: 'ops-cli' }, reason: 'left', now: t0 },
      policy,
    );
    if (!d.ok) throw new Error(d.message);
    expect(await registry.apply(d)).toBe('applied');
    // the same decision again: the version moved on, nothing is written
    expect(await registry.apply(d)).toBe('conflict');
    const trail = await auditTrail(doc, tables.audit, 'reg-1');
    expect(trail).toEqual([
      expect.objectContaining({
        version: 2,
        event: 'deactivate',
        fromState: 'ACTIVE',
        toState: 'DEACTIVATED',
        actorKind: 'client',
        actorId: 'ops-cli',
      }),
    ]);
    expect(await registry.get('reg-1')).toMatchObject({
      version: 2,
      lifecycleState: 'DEACTIVATED',
      dueAt: '2026-04-10T00:00:00.000Z',
    });
  });

  it('keeps the audit trail append-only: a second put of the same version fails and the registry is untouched', async () => {
    await registerTenant(doc, tables.registry, 'reg-2');
    // an audit item for v2 already exists (e.g. written out of band)
    await doc.send(
      new PutCommand({
        TableName: tables.audit,
        Item: { tenantId: 'reg-2', version: 2, event: 'forged' },
      }),
    );
    const record = await registry.get('reg-2');
    const d = deactivate(
      record!,
      { actor: { kind: 'user', id: 's' }, reason: 'r', now: t0 },
      policy,
    );
    if (!d.ok) throw new Error(d.message);
    await expect(registry.apply(d)).rejects.toThrow(/audit item reg-2 v2 already exists/);
    expect(await registry.get('reg-2')).toMatchObject({ version: 1, lifecycleState: 'ACTIVE' });
    const forged = await doc.send(
      new GetCommand({ TableName: tables.audit, Key: { tenantId: 'reg-2', version: 2 } }),
    );
    expect(forged.Item).toEqual({ tenantId: 'reg-2', version: 2, event: 'forged' });
  });

  it('two sweeps at once claim and enqueue each due tenant exactly once', async () => {
    const sqs = new SQSClient(moto.clientConfig());
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'jobs-race' }));
    const due = Array.from({ length: 12 }, (_, i) => `race-${i}`);
    for (const id of [...due, 'race-active', 'race-young'])
      await registerTenant(doc, tables.registry, id);
    for (const id of due) await deactivateAt(id, t0);
    await deactivateAt('race-young', new Date('2026-03-01T00:00:00.000Z')); // grace not over

    const sweep = () =>
      runSweep({
        registry,
        sqs,
        queueUrls: { archive: QueueUrl!, purge: QueueUrl! },
        policy,
        clock: () => afterGrace,
        logger: quietLogger(),
        writer: standaloneWriter('test-aurora'),
        pageSize: 5,
        concurrency: 3,
      });
    const [a, b] = await Promise.all([sweep(), sweep()]);

    expect(a.claimed + b.claimed).toBe(due.length);
    expect(a.errors + b.errors).toBe(0);
    // the sweeps really contended: the loser of each tenant lost on the version condition
    expect(a.conflicts + b.conflicts).toBeGreaterThan(0);
    const bodies: Record<string, unknown>[] = [];
    for (;;) {
      const out = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
      );
      if (!out.Messages?.length) break;
      bodies.push(...out.Messages.map((m) => JSON.parse(m.Body!)));
    }
    expect(bodies.map((m) => m.tenantId).sort()).toEqual([...due].sort());
    for (const id of due) {
      const record = await registry.get(id);
      expect(record).toMatchObject({ lifecycleState: 'ARCHIVING', version: 3 });
      expect(bodies.find((m) => m.tenantId === id)).toEqual({
        type: 'archive',
        tenantId: id,
        version: 3,
        archiveId: record!.archiveId,
        claim: 1,
      });
      expect(await auditTrail(doc, tables.audit, id)).toHaveLength(2);
    }
    expect(await registry.get('race-young')).toMatchObject({ lifecycleState: 'DEACTIVATED' });
    expect(await registry.get('race-active')).toMatchObject({ lifecycleState: 'ACTIVE' });

    // a third sweep at the same instant finds nothing left to claim
    const c = await sweep();
    expect(c).toMatchObject({ claimed: 0, itemsRead: 0 });
    // after the lease, the stuck ARCHIVING tenants are re-claimed with the same archive id
    const later = await runSweep({
      registry,
      sqs,
      queueUrls: { archive: QueueUrl!, purge: QueueUrl! },
      policy,
      clock: () => new Date(afterGrace.getTime() + 61 * 60_000),
      logger: quietLogger(),
      writer: standaloneWriter('test-aurora'),
    });
    expect(later.claimedByState).toEqual({ ARCHIVING: due.length });
    expect(await registry.get(due[0])).toMatchObject({
      lifecycleState: 'ARCHIVING',
      version: 4,
      claimCount: 2,
    });
  });

  it('the sweep queries only the state-due index (never a scan) and reads only due items', async () => {
    const sqs = new SQSClient(moto.clientConfig());
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'jobs-index' }));
    for (const id of ['idx-due', 'idx-later', 'idx-active'])
      await registerTenant(doc, tables.registry, id);
    await deactivateAt('idx-due', t0);
    await deactivateAt('idx-later', new Date('2026-03-01T00:00:00.000Z'));
    const seen: string[] = [];
    doc.middlewareStack.add(
      (next, context) => async (args) => {
        seen.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'recordCommands' },
    );
    let report;
    try {
      report = await runSweep({
        registry,
        sqs,
        queueUrls: { archive: QueueUrl!, purge: QueueUrl! },
        policy,
        clock: () => new Date('2026-04-12T00:00:00.000Z'),
        logger: quietLogger(),
        writer: standaloneWriter('test-aurora'),
      });
    } finally {
      doc.middlewareStack.remove('recordCommands');
    }
    expect(seen).not.toContain('ScanCommand');
    // one query page per swept state and per failed state (counted for their alarm), one
    // transaction for the one due tenant
    expect(seen.sort()).toEqual([...Array(6).fill('QueryCommand'), 'TransactWriteItemsCommand']);
    expect(report).toMatchObject({ queryPages: 6, itemsRead: 1, claimed: 1, inFailedState: 0 });
  });
});
