import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { runSweep } from '../../../lambda/lifecycle-sweep/run-sweep';
import type { ArchiveBudget } from '../../../lambda/shared/archive/contracts';
import { runJobBatch } from '../../../lambda/shared/lifecycle/job-batch';
import type { LifecyclePolicy } from '../../../lambda/shared/lifecycle/policy';
import type { LifecycleJob } from '../../../lambda/shared/lifecycle/rules';
import { standaloneWriter } from '../../../lambda/shared/lifecycle/writer-region';
import type { RegistryTables } from '../../../lambda/shared/tenant-registry/tenant-registry';
import { TenantRegistry } from '../../../lambda/shared/tenant-registry/tenant-registry';
import type { TestMoto } from '../moto';
import { startMoto } from '../moto';
import { createRegistryTables, motoDocumentClient, quietLogger } from './registry-tables';

export interface MotoRegistry {
  readonly moto: TestMoto;
  readonly doc: DynamoDBDocumentClient;
  readonly tables: RegistryTables;
  readonly registry: TenantRegistry;
}

/**
 * The registry and audit tables on moto for the calling test file: created before its tests,
 * moto stopped after them. Read the fields inside tests (they exist once `beforeAll` ran).
 */
export function useMotoRegistry(): MotoRegistry {
  const world = {} as { -readonly [K in keyof MotoRegistry]: MotoRegistry[K] };
  beforeAll(async () => {
    world.moto = await startMoto();
    const clients = motoDocumentClient(world.moto);
    world.doc = clients.doc;
    world.tables = await createRegistryTables(clients.ddb);
    world.registry = new TenantRegistry(world.doc, world.tables);
  });
  afterAll(async () => world.moto?.stop());
  return world;
}

/**
 * The daily sweep and one worker's job handling over a real registry, with a clock the test
 * moves, the job messages the sweep sends (SQS mocked), and what a test's engine stub needs to
 * run out of time on demand: `engineRun` records each run, runs the `during` hook, and says
 * whether this run checkpoints (while `checkpoints(k)` has runs left and the budget is short).
 */
export function leaseHarness<Run>(registry: TenantRegistry, policy: LifecyclePolicy, start: Date) {
  const logger = quietLogger();
  const sqs = new SQSClient({ region: 'ap-southeast-2' });
  const sqsMock = mockClient(sqs);
  sqsMock.on(SendMessageCommand).resolves({ MessageId: 'm' });
  let now = start;
  const engineRuns: Run[] = [];
  let checkpointsLeft = 0;
  let during: (() => Promise<void>) | undefined;
  return {
    logger,
    clock: () => now,
    sweep: () =>
      runSweep({
        registry,
        sqs,
        queueUrls: { archive: 'https://q/archive', purge: 'https://q/purge' },
        policy,
        clock: () => now,
        logger,
        writer: standaloneWriter('test-aurora'),
      }),
    sent: () => sqsMock.commandCalls(SendMessageCommand).map((c) => c.args[0].input.MessageBody!),
    /** One delivery of `body` to the worker's batch handler, the job run by `process`. */
    deliver: (
      body: string,
      type: 'archive' | 'purge',
      process: (job: LifecycleJob) => Promise<string>,
    ) => runJobBatch({ Records: [{ messageId: 'm', body }] } as SQSEvent, type, logger, process),
    async engineRun(run: Run, budget?: ArchiveBudget): Promise<boolean> {
      engineRuns.push(run);
      if (during) await during();
      if (checkpointsLeft > 0 && budget && budget.remainingMs() < 120_000) {
        checkpointsLeft -= 1;
        return true;
      }
      return false;
    },
    engineRuns,
    setNow: (d: Date) => (now = d),
    checkpoints: (k: number) => (checkpointsLeft = k),
    during: (hook: () => Promise<void>) => (during = hook),
  };
}
