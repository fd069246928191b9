import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { HANDLER_ENV } from '../../../support/lifecycle/handler-env';

/**
 * The settings, status, archive, purge and sweep handlers, loaded from their index.ts as Lambda
 * loads them: every line an invocation logs carries its request id, the lines about a tenant its
 * tenant id, and nothing of the previous (warm) invocation's tenant.
 */

type Line = Record<string, unknown>;
type Handler = (event: unknown, context?: Context) => Promise<unknown>;

const ENV: Record<string, Record<string, string>> = {
  ...HANDLER_ENV,
  'tenant-settings': { TABLE_NAME: 'registry', AUDIT_TABLE_NAME: 'audit' },
};
const saved = { ...process.env };
const registry = mockClient(DynamoDBDocumentClient);

afterEach(() => {
  process.env = { ...saved };
  registry.reset();
});

function load(name: string): Handler {
  // Powertools dev mode writes through the console, which the test reads.
  process.env = {
    ...saved,
    AWS_REGION: 'ap-southeast-2',
    POWERTOOLS_DEV: 'true',
    ...ENV[name],
  };
  let mod: { handler?: Handler } = {};
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(`../../../../lambda/${name}/index`);
  });
  return mod.handler as Handler;
}

/** The JSON lines the handler's logger writes during `run`. */
async function logLines(run: () => Promise<unknown>): Promise<Line[]> {
  const lines: string[] = [];
  const spies = (['info', 'warn', 'error', 'debug', 'log'] as const).map((m) =>
    jest.spyOn(console, m).mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
    }),
  );
  try {
    await run().catch(() => undefined);
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return lines.filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l) as Line);
}

const context = (awsRequestId: string, functionName: string) =>
  ({
    awsRequestId,
    functionName,
    invokedFunctionArn: `arn:aws:lambda:ap-southeast-2:111111111111:function:${functionName}`,
    getRemainingTimeInMillis: () => 60_000,
  }) as unknown as Context;

describe.each(['tenant-settings', 'tenant-status'])('%s', (name) => {
  it("logs every line with the request id and the route's tenant, then drops that tenant", async () => {
    const handler = load(name);
    // No operator token: the guard refuses the request and logs the refusal.
    const first = await logLines(() =>
      handler({ pathParameters: { tenantId: 'acme' } }, context('req-1', name)),
    );
    expect(first.length).toBeGreaterThan(0);
    for (const line of first) {
      expect(line).toMatchObject({ function_request_id: 'req-1', tenantId: 'acme' });
    }
    const second = await logLines(() => handler({}, context('req-2', name)));
    expect(second.length).toBeGreaterThan(0);
    for (const line of second) {
      expect(line.function_request_id).toBe('req-2');
      expect(line.tenantId).toBeUndefined();
    }
  });
});

const record = (messageId: string, body: string) => ({ messageId, body });
const job = (type: string, tenantId: string) =>
  JSON.stringify({ type, tenantId, version: 1, archiveId: 'arc-1' });

describe.each([
  ['tenant-archive', 'archive'],
  ['tenant-purge', 'purge'],
])('%s', (name, type) => {
  it("logs every line with the request id, a job's lines with its tenant, the next record's without", async () => {
    const handler = load(name);
    // The registry read fails: the job fails and is logged; the second record is malformed.
    registry.onAnyCommand().rejects(Object.assign(new Error('throttled'), { name: 'Throttling' }));
    const lines = await logLines(() =>
      handler(
        {
          Records: [record('m-1', job(type, 'acme')), record('m-2', 'not json')],
        },
        context('req-1', name),
      ),
    );
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) expect(line.function_request_id).toBe('req-1');
    const ofFirst = lines.filter((l) => l.messageId === 'm-1');
    const ofSecond = lines.filter((l) => l.messageId === 'm-2');
    expect(ofFirst.length).toBeGreaterThan(0);
    expect(ofSecond.length).toBeGreaterThan(0);
    for (const line of ofFirst) expect(line.tenantId).toBe('acme');
    for (const line of ofSecond) expect(line.tenantId).toBeUndefined();

    // A warm invocation: its own request id, no tenant of the previous one.
    const warm = await logLines(() => handler({ Records: [] }, context('req-2', name)));
    expect(warm.length).toBeGreaterThan(0);
    for (const line of warm) {
      expect(line.function_request_id).toBe('req-2');
      expect(line.tenantId).toBeUndefined();
    }
  });
});

describe('lifecycle-sweep', () => {
  it('logs every line with the request id of its invocation', async () => {
    const handler = load('lifecycle-sweep');
    registry.onAnyCommand().resolves({ Items: [] });
    const first = await logLines(() => handler({}, context('req-1', 'lifecycle-sweep')));
    const second = await logLines(() => handler({}, context('req-2', 'lifecycle-sweep')));
    expect(first.length).toBeGreaterThan(0);
    expect(second.length).toBeGreaterThan(0);
    for (const line of first) expect(line.function_request_id).toBe('req-1');
    for (const line of second) expect(line.function_request_id).toBe('req-2');
  });
});
