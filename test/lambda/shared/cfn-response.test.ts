import { customResourceHandler } from '../../../lambda/shared/cfn-response';

const event = {
  RequestType: 'Create' as const,
  ResponseURL: 'https://example.invalid/response',
  StackId: 'stack',
  RequestId: 'request',
  LogicalResourceId: 'Baseline',
};

test('a result is sent to CloudFormation as SUCCESS with its physical id and data', async () => {
  const sent: [string, string][] = [];
  const handler = customResourceHandler(
    async () => ({ PhysicalResourceId: 'db-bootstrap:x', Data: { TenantTables: '5' } }),
    async (url, body) => void sent.push([url, body]),
  );
  await handler(event);
  expect(sent).toHaveLength(1);
  expect(sent[0][0]).toBe(event.ResponseURL);
  expect(JSON.parse(sent[0][1])).toEqual({
    Status: 'SUCCESS',
    StackId: 'stack',
    RequestId: 'request',
    LogicalResourceId: 'Baseline',
    PhysicalResourceId: 'db-bootstrap:x',
    Data: { TenantTables: '5' },
  });
});

test('a failure is sent as FAILED with the reason, never left to time out', async () => {
  const sent: string[] = [];
  const handler = customResourceHandler(
    async () => {
      throw new Error('app.parcels has no row-level security');
    },
    async (_url, body) => void sent.push(body),
  );
  await handler({ ...event, RequestType: 'Update', PhysicalResourceId: 'db-bootstrap:x' } as never);
  const body = JSON.parse(sent[0]);
  expect(body.Status).toBe('FAILED');
  expect(body.Reason).toBe('app.parcels has no row-level security');
  expect(body.PhysicalResourceId).toBe('db-bootstrap:x');
});

test('a run still going shortly before the function times out is answered FAILED, never left hanging', async () => {
  const sent: string[] = [];
  const handler = customResourceHandler(
    () => new Promise<never>(() => undefined), // a connection that never answers
    async (_url, body) => void sent.push(body),
    1_000,
  );
  const started = Date.now();
  await handler(event, { getRemainingTimeInMillis: () => 1_200 });
  expect(Date.now() - started).toBeLessThan(1_000);
  const body = JSON.parse(sent[0]);
  expect(body.Status).toBe('FAILED');
  expect(body.Reason).toMatch(/no result 1 s before the function's timeout/);
});
