import 'aws-sdk-client-mock-jest';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { handleSweep } from '../../../lambda/lifecycle-sweep/sweep-handler';
import { SWEEP_METRIC_NAMESPACE } from '../../../lambda/lifecycle-sweep/sweep-metrics';
import type { LifecycleState } from '../../../lambda/shared/lifecycle/states';
import type { TenantRecord } from '../../../lambda/shared/lifecycle/tenant';
import type { Transition } from '../../../lambda/shared/lifecycle/transition';
import type { ApplyOutcome, DuePage } from '../../../lambda/shared/tenant-registry/tenant-registry';
import { TenantRegistry } from '../../../lambda/shared/tenant-registry/tenant-registry';
import { guardApi } from '../../../lambda/shared/lifecycle/api-guard';
import { reactivateTenant } from '../../../lambda/tenant-reactivate/reactivate-tenant';
import { tenantStatus } from '../../../lambda/tenant-status/tenant-status';
import { apiEvent } from '../../support/lifecycle/api-events';
import { cognitoFake, enabledUsers } from '../../support/lifecycle/cognito-fake';
import { quietLogger } from '../../support/lifecycle/registry-tables';
import { standaloneWriter } from '../../../lambda/shared/lifecycle/writer-region';

/** A registry whose reads and writes the test scripts (for races DynamoDB cannot be told to lose). */
class ScriptedRegistry extends TenantRegistry {
  reads: TenantRecord[] = [];
  outcomes: (ApplyOutcome | Error)[] = [];
  due: TenantRecord[] = [];
  applied: Transition[] = [];
  constructor() {
    super({} as DynamoDBDocumentClient, { registry: 'r', audit: 'a' });
  }
  override async get(): Promise<TenantRecord | undefined> {
    return this.reads.length > 1 ? this.reads.shift() : this.reads[0];
  }
  override async apply(t: Transition): Promise<ApplyOutcome> {
    const outcome = this.outcomes.shift() ?? 'applied';
    if (outcome instanceof Error) throw outcome;
    if (outcome === 'applied') this.applied.push(t);
    return outcome;
  }
  override async *dueTenants(state: LifecycleState): AsyncGenerator<DuePage> {
    const records = this.due.filter((r) => r.lifecycleState === state);
    yield { records, itemsRead: records.length };
  }
}

const deactivated = (id: string, version = 2): TenantRecord => ({
  tenantId: id,
  lifecycleState: 'DEACTIVATED',
  version,
  deactivatedAt: '2026-01-01T00:00:00.000Z',
  graceEndsAt: '2026-04-01T00:00:00.000Z',
  dueAt: '2026-04-01T00:00:00.000Z',
  attributeNames: [
    'tenantId',
    'lifecycleState',
    'version',
    'deactivatedAt',
    'graceEndsAt',
    'dueAt',
  ],
});

describe('reactivation racing the sweep at grace end', () => {
  it('re-disables the users it enabled when the sweep claimed the tenant first, and answers 409', async () => {
    const registry = new ScriptedRegistry();
    registry.reads = [
      deactivated('acme'),
      { ...deactivated('acme', 3), lifecycleState: 'ARCHIVING', archiveId: 'x' },
    ];
    registry.outcomes = ['conflict'];
    const cognito = cognitoFake({ acme: 3 });
    cognito.users.forEach((u) => (u.enabled = false));
    const res = await reactivateTenant(
      {
        registry,
        cognito: cognito.client,
        userPoolId: 'ap-southeast-2_abc',
        policy: { graceDays: 90, archiveRetentionDays: 365, leaseMinutes: 60, maxClaims: 3 },
        clock: () => new Date('2026-03-31T23:59:59.000Z'),
        logger: quietLogger(),
      },
      apiEvent('acme'),
    );
    expect(res.statusCode).toBe(409);
    expect(JSON.parse(res.body).message).toMatch(/it is ARCHIVING/);
    expect(enabledUsers(cognito, 'acme')).toBe(0);
    expect(registry.applied).toEqual([]);
  });
});

describe('sweep handler', () => {
  function setup() {
    const registry = new ScriptedRegistry();
    const sqs = new SQSClient({ region: 'ap-southeast-2' });
    const sqsMock = mockClient(sqs);
    sqsMock.on(SendMessageCommand).resolves({ MessageId: '1' });
    const lines: string[] = [];
    const deps = {
      registry,
      sqs,
      queueUrls: {
        archive: 'https://sqs.ap-southeast-2.amazonaws.com/1/archive-jobs',
        purge: 'https://sqs.ap-southeast-2.amazonaws.com/1/purge-jobs',
      },
      policy: { graceDays: 90, archiveRetentionDays: 365, leaseMinutes: 60, maxClaims: 3 },
      clock: () => new Date('2026-04-02T00:00:00.000Z'),
      logger: quietLogger(),
      writer: standaloneWriter('test-aurora'),
      emit: (line: string) => void lines.push(line),
    };
    return { registry, sqsMock, lines, deps };
  }

  it.each([[{ 'detail-type': 'Scheduled Event' }], [{}], [null], ['text']])(
    'accepts any scheduler event (%p) and emits SweepCompleted',
    async (event) => {
      const { deps, lines } = setup();
      await expect(handleSweep(deps, event)).resolves.toMatchObject({ claimed: 0, errors: 0 });
      const emf = JSON.parse(lines[0]);
      expect(emf).toMatchObject({
        _aws: {
          CloudWatchMetrics: [{ Namespace: SWEEP_METRIC_NAMESPACE, Dimensions: [['Service']] }],
        },
        Service: 'lifecycle-sweep',
        SweepCompleted: 1,
      });
      expect(emf._aws.CloudWatchMetrics[0].Metrics.map((m: { Name: string }) => m.Name)).toContain(
        'SweepCompleted',
      );
    },
  );

  it('routes each job to its own queue: archive jobs and purge jobs have separate workers', async () => {
    const { deps, registry, sqsMock } = setup();
    const archived: TenantRecord = {
      tenantId: 'gone',
      lifecycleState: 'ARCHIVED',
      version: 5,
      deactivatedAt: '2025-01-01T00:00:00.000Z',
      graceEndsAt: '2025-04-01T00:00:00.000Z',
      archiveId: '20250402T000000Z-0123456789abcdef',
      archivedAt: '2025-04-02T00:00:00.000Z',
      purgeAt: '2026-04-02T00:00:00.000Z',
      dueAt: '2026-04-02T00:00:00.000Z',
      attributeNames: [
        'tenantId',
        'lifecycleState',
        'version',
        'deactivatedAt',
        'graceEndsAt',
        'archiveId',
        'archivedAt',
        'purgeAt',
        'dueAt',
      ],
    };
    registry.due = [deactivated('leaving'), archived];
    registry.outcomes = ['applied', 'applied'];
    await expect(handleSweep(deps, {})).resolves.toMatchObject({ claimed: 2, errors: 0 });
    const sent = sqsMock
      .commandCalls(SendMessageCommand)
      .map((c) => [c.args[0].input.QueueUrl, JSON.parse(c.args[0].input.MessageBody!).type]);
    expect(sent.sort()).toEqual([
      [deps.queueUrls.archive, 'archive'],
      [deps.queueUrls.purge, 'purge'],
    ]);
  });

  it('skips an index entry that is not due after all (stale index) without writing', async () => {
    const { deps, registry, sqsMock } = setup();
    registry.due = [{ ...deactivated('young'), graceEndsAt: '2026-05-01T00:00:00.000Z' }];
    await expect(handleSweep(deps, {})).resolves.toMatchObject({ notDue: 1, claimed: 0 });
    expect(registry.applied).toEqual([]);
    expect(sqsMock).not.toHaveReceivedCommand(SendMessageCommand);
  });

  it('sends the job only for a won claim; a failed send or write fails the run after emitting metrics', async () => {
    const { deps, registry, sqsMock, lines } = setup();
    registry.due = [deactivated('a'), deactivated('b'), deactivated('c')];
    registry.outcomes = ['applied', 'conflict', new Error('throttled')];
    sqsMock.on(SendMessageCommand).rejectsOnce(new Error('queue down'));
    await expect(handleSweep(deps, {})).rejects.toThrow(
      /sweep finished with 2 failed claim\(s\) or send\(s\)/,
    );
    expect(sqsMock).toHaveReceivedCommandTimes(SendMessageCommand, 1);
    expect(sqsMock).toHaveReceivedCommandWith(SendMessageCommand, {
      MessageBody: expect.stringContaining('"tenantId":"a"'),
    });
    expect(JSON.parse(lines[0])).toMatchObject({
      SweepCompleted: 1,
      SweepErrors: 2,
      ClaimConflicts: 1,
      TenantsClaimed: 0,
    });
  });
});

describe('bounded claims', () => {
  const archiving = (id: string, claimCount: number): TenantRecord => ({
    ...deactivated(id, 7),
    lifecycleState: 'ARCHIVING',
    archiveId: '20260402T000000Z-0123456789abcdef',
    archivingStartedAt: '2026-04-01T00:00:00.000Z',
    dueAt: '2026-04-01T12:00:00.000Z',
    claimCount,
    attributeNames: [
      ...deactivated(id).attributeNames,
      'archiveId',
      'archivingStartedAt',
      'claimCount',
    ],
  });

  it('re-sends a job below maxClaims; at maxClaims moves the tenant to ARCHIVE_FAILED, audited, no job, and counts it daily', async () => {
    const registry = new ScriptedRegistry();
    const sqs = new SQSClient({ region: 'ap-southeast-2' });
    const sqsMock = mockClient(sqs);
    sqsMock.on(SendMessageCommand).resolves({ MessageId: '1' });
    const lines: string[] = [];
    const deps = {
      registry,
      sqs,
      queueUrls: { archive: 'https://q/archive', purge: 'https://q/purge' },
      policy: { graceDays: 90, archiveRetentionDays: 365, leaseMinutes: 60, maxClaims: 3 },
      clock: () => new Date('2026-04-02T00:00:00.000Z'),
      logger: quietLogger(),
      writer: standaloneWriter('test-aurora'),
      emit: (line: string) => void lines.push(line),
    };
    registry.due = [archiving('retry-me', 2), archiving('stuck', 3)];
    const report = await handleSweep(deps, {});
    expect(report).toMatchObject({ claimed: 1, failed: 1, errors: 0 });
    expect(sqsMock).toHaveReceivedCommandTimes(SendMessageCommand, 1);
    expect(sqsMock).toHaveReceivedCommandWith(SendMessageCommand, {
      MessageBody: expect.stringContaining('"tenantId":"retry-me"'),
    });
    const failed = registry.applied.find((t) => t.tenantId === 'stuck')!;
    expect(failed).toMatchObject({
      from: 'ARCHIVING',
      to: 'ARCHIVE_FAILED',
      event: 'archive-failed',
    });
    expect(failed.audit).toMatchObject({ reason: 'CLAIMS_EXHAUSTED', details: { claimCount: 3 } });
    expect(failed.set.dueAt).toBe('2026-04-02T00:00:00.000Z'); // stays in the index, counted
    expect(registry.applied.find((t) => t.tenantId === 'retry-me')?.set.claimCount).toBe(3);

    // The next sweep claims nothing of it and reports it in the failed state (the alarm's metric).
    registry.applied = [];
    registry.due = [{ ...failed.next, attributeNames: Object.keys(failed.set) }];
    lines.length = 0;
    await expect(handleSweep(deps, {})).resolves.toMatchObject({ claimed: 0, inFailedState: 1 });
    expect(registry.applied).toEqual([]);
    expect(JSON.parse(lines[0])).toMatchObject({ TenantsInFailedState: 1, TenantsFailed: 0 });
  });
});

describe('admin API guard', () => {
  it('answers an unexpected failure with a JSON 500 that says a retry is safe, and logs it', async () => {
    const registry = new ScriptedRegistry();
    registry.get = async () => {
      throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    };
    const logger = quietLogger();
    const error = jest.spyOn(logger, 'error');
    const event = apiEvent('acme', { routeKey: 'GET /tenants/{tenantId}' });
    const res = await guardApi(logger, event, (e) =>
      tenantStatus({ registry, clock: () => new Date(), logger }, e),
    );
    expect(res.statusCode).toBe(500);
    expect(JSON.parse(res.body)).toEqual({
      error: 'INTERNAL',
      message: 'the operation failed (TimeoutError); it is safe to retry the same request',
    });
    expect(error).toHaveBeenCalledWith('lifecycle operation failed', {
      errorName: 'TimeoutError',
      errorMessage: 'socket hang up',
    });
  });
});
