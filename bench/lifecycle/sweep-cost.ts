/**
 * (a) Sweep cost against registry size, on moto_server. Part 1: the sweep's discovery (the same
 * `TenantRegistry.dueTenants` query the sweep runs, per swept state) on a 100k-tenant registry
 * with 0, 100 and 1000 due. Part 2: the whole sweep (`runSweep`: discover, claim with a
 * conditional transaction, enqueue on SQS) on a smaller registry, because moto's
 * TransactWriteItems deep-copies the whole table on every call (timed below at 100k).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { Logger } from '@aws-lambda-powertools/logger';
import { runSweep } from '../../lambda/lifecycle-sweep/run-sweep';
import type { SweepReport } from '../../lambda/lifecycle-sweep/run-sweep';
import { claimDue } from '../../lambda/shared/lifecycle/rules';
import { SWEPT_STATES } from '../../lambda/shared/lifecycle/states';
import { createDocumentClient } from '../../lambda/shared/tenant-registry/document-client';
import { TenantRegistry } from '../../lambda/shared/tenant-registry/tenant-registry';
import {
  createRegistryTables,
  serialiseRequests,
} from '../../test/support/lifecycle/registry-tables';
import type { TestMoto } from '../../test/support/moto';
import { startMoto } from '../../test/support/moto';
import { activeItem, batchPut, dueItem, graceItem, tenantIdOf } from './registry-seed';
import { standaloneWriter } from '../../lambda/shared/lifecycle/writer-region';

const policy = { graceDays: 90, archiveRetentionDays: 365, leaseMinutes: 720, maxClaims: 5 };
const PAGE_SIZE = 100;
const NOW = new Date('2026-06-01T03:00:00.000Z');
const silent = new Logger({ serviceName: 'bench', logLevel: 'SILENT' });

interface FindFigures {
  due: number;
  pages: number;
  itemsRead: number;
  found: number;
  ms: number;
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function discover(registry: TenantRegistry): Promise<Omit<FindFigures, 'due'>> {
  const start = performance.now();
  let pages = 0;
  let itemsRead = 0;
  let found = 0;
  for (const state of SWEPT_STATES) {
    for await (const page of registry.dueTenants(state, NOW, PAGE_SIZE)) {
      pages += 1;
      itemsRead += page.itemsRead;
      found += page.records.length;
    }
  }
  return { pages, itemsRead, found, ms: performance.now() - start };
}

/**
 * `serialise`: one DynamoDB request at a time, as in the race tests: moto's transactions on
 * parallel threads deep-copy the table while another thread writes it and fail at random.
 */
async function world(moto: TestMoto, serialise = false) {
  const ddb = new DynamoDBClient({ ...moto.clientConfig(), maxAttempts: 1 });
  if (serialise) serialiseRequests(ddb, { tail: Promise.resolve() });
  const doc = createDocumentClient(ddb);
  const tables = await createRegistryTables(ddb);
  return { doc, tables, registry: new TenantRegistry(doc, tables) };
}

async function partOne(moto: TestMoto, registrySize: number): Promise<void> {
  const { doc, tables, registry } = await world(moto);
  let start = performance.now();
  await batchPut(
    doc,
    tables.registry,
    Array.from({ length: registrySize }, (_, i) => activeItem(i)),
  );
  // 500 tenants in their grace period: in the index partition the sweep queries, but not due.
  await batchPut(
    doc,
    tables.registry,
    Array.from({ length: 500 }, (_, i) => graceItem(registrySize - 1 - i, NOW)),
  );
  console.log(
    `    seeded ${registrySize.toLocaleString('en')} tenants (500 of them in their grace period) with BatchWriteItem in ${secs(performance.now() - start)}`,
  );

  const rows: FindFigures[] = [];
  let seeded = 0;
  for (const due of [0, 100, 1000]) {
    await batchPut(
      doc,
      tables.registry,
      Array.from({ length: due - seeded }, (_, k) => dueItem(seeded + k, NOW)),
    );
    seeded = due;
    rows.push({ due, ...(await discover(registry)) });
  }
  console.log(`    due    query pages   items read   found   wall (moto)   a Scan would read`);
  for (const r of rows) {
    console.log(
      `    ${String(r.due).padStart(4)}   ${String(r.pages).padStart(11)}   ${String(r.itemsRead).padStart(10)}   ${String(r.found).padStart(5)}   ${secs(r.ms).padStart(11)}   ${registrySize.toLocaleString('en')}`,
    );
  }
  const [zero, hundred, thousand] = rows;
  console.log(
    `    ratio items read 1000 due / 100 due: ${(thousand.itemsRead / hundred.itemsRead).toFixed(2)} (due ratio 10.00)`,
  );
  console.log(
    `    ratio items read 100 due / registry size: ${(hundred.itemsRead / registrySize).toFixed(5)}; 1000 due / registry size: ${(thousand.itemsRead / registrySize).toFixed(5)}`,
  );
  console.log(
    `    items read with 0 due: ${zero.itemsRead} (the 500 in-grace index entries are outside the key range dueAt <= now)`,
  );
  console.log(
    `    ratio wall 1000 due / 100 due: ${(thousand.ms / hundred.ms).toFixed(2)}; pages 1000 / 100: ${(thousand.pages / hundred.pages).toFixed(2)}`,
  );
  console.log(
    `    note: moto answers an index query by iterating over every item of the table (${(zero.ms / zero.pages).toFixed(0)} ms per page here even with nothing due), ` +
      'so its wall time grows with the registry; DynamoDB reads only the key range, which is the "items read" column',
  );

  // One claim (TransactWriteItems) at this registry size, to show why Part 2 is smaller.
  const record = await registry.get(tenantIdOf(0));
  const claim = claimDue(record!, NOW, policy);
  if (!claim.ok) throw new Error(claim.message);
  start = performance.now();
  await registry.apply(claim);
  console.log(
    `    one claim transaction at ${registrySize.toLocaleString('en')} tenants: ${secs(performance.now() - start)} in moto (it deep-copies the table per TransactWriteItems; DynamoDB's cost does not depend on table size)`,
  );
}

async function partTwo(moto: TestMoto, registrySize: number): Promise<SweepReport[]> {
  const sqs = new SQSClient(moto.clientConfig());
  const reports: SweepReport[] = [];
  console.log(
    `    due    pages   items read   claimed   conflicts+errors   jobs sent   wall (moto)   registry`,
  );
  for (const due of [0, 10, 100]) {
    await moto.reset();
    const { doc, tables, registry } = await world(moto, true);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `jobs-${due}` }));
    await batchPut(
      doc,
      tables.registry,
      Array.from({ length: registrySize }, (_, i) => (i < due ? dueItem(i, NOW) : activeItem(i))),
    );
    const report = await runSweep({
      registry,
      sqs,
      queueUrls: { archive: QueueUrl!, purge: QueueUrl! },
      policy,
      clock: () => NOW,
      logger: silent,
      writer: standaloneWriter('bench-aurora'),
      pageSize: PAGE_SIZE,
    });
    const attrs = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    reports.push(report);
    console.log(
      `    ${String(due).padStart(4)}   ${String(report.queryPages).padStart(5)}   ${String(report.itemsRead).padStart(10)}   ${String(report.claimed).padStart(7)}   ${String(report.conflicts + report.errors).padStart(16)}   ${String(attrs.Attributes?.ApproximateNumberOfMessages).padStart(9)}   ${secs(report.durationMs).padStart(11)}   ${registrySize.toLocaleString('en')}`,
    );
  }
  const [, ten, hundred] = reports;
  console.log(
    `    ratio claims+items read 100 due / 10 due: ${((hundred.claimed + hundred.itemsRead) / (ten.claimed + ten.itemsRead)).toFixed(2)} (due ratio 10.00); requests per due tenant: 1 TransactWriteItems + 1 SendMessage`,
  );
  return reports;
}

export async function runSweepCostBench(
  options: { registrySize?: number; fullSweepRegistry?: number } = {},
): Promise<void> {
  const registrySize = options.registrySize ?? 100_000;
  const fullSweepRegistry = options.fullSweepRegistry ?? 1_000;
  console.log(
    `\n(a) Sweep cost against registry size (moto_server, index query page size ${PAGE_SIZE})`,
  );
  const moto = await startMoto();
  try {
    console.log(
      `  Part 1: discovery (state-due index query, all swept states) on ${registrySize.toLocaleString('en')} tenants`,
    );
    await partOne(moto, registrySize);
    await moto.reset();
    console.log(
      `  Part 2: whole sweep (discover + conditional claim + SQS job) on ${fullSweepRegistry.toLocaleString('en')} tenants`,
    );
    await partTwo(moto, fullSweepRegistry);
  } finally {
    await moto.stop();
  }
}
