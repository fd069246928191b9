import type { Context } from 'aws-lambda';
import { userAdminHandler } from '../../../../lambda/shared/tenant-registry/user-admin-handler';

process.env.POWERTOOLS_DEV = 'true'; // the logger writes through the console, which the test reads

const SETTINGS = {
  TABLE_NAME: 'registry',
  AUDIT_TABLE_NAME: 'audit',
  USER_POOL_ID: 'ap-southeast-2_pool',
};

/** The JSON lines the handler's logger writes during `run` (Powertools dev mode: the console). */
async function logLines(run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const methods = ['info', 'warn', 'error', 'debug', 'log'] as const;
  const spies = methods.map((m) =>
    jest.spyOn(console, m).mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
    }),
  );
  try {
    await run();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return lines
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

const context = (awsRequestId: string) =>
  ({ awsRequestId, functionName: 'tenant-deactivate', invokedFunctionArn: 'arn' }) as Context;

test('every line of a request carries its request id and the route tenant, not the previous one', async () => {
  const handler = userAdminHandler('tenant-deactivate', SETTINGS, async () => ({
    statusCode: 200,
    headers: {},
    body: '{}',
  }));
  // No operator token: the guard refuses and logs the refusal.
  const first = await logLines(() =>
    handler({ pathParameters: { tenantId: 'acme' } } as never, context('req-1')),
  );
  expect(first.length).toBeGreaterThan(0);
  for (const line of first) {
    expect(line).toMatchObject({ tenantId: 'acme', function_request_id: 'req-1' });
  }
  const second = await logLines(() => handler({} as never, context('req-2')));
  expect(second.length).toBeGreaterThan(0);
  for (const line of second) {
    expect(line.function_request_id).toBe('req-2');
    expect(line.tenantId).toBeUndefined();
  }
});
