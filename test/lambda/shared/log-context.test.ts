import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { forTenant, startInvocation } from '../../../lambda/shared/observability/log-context';

const context = (awsRequestId: string) =>
  ({
    awsRequestId,
    functionName: 'logi-prod-fn',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:ap-southeast-2:333333333333:function:logi-prod-fn',
    memoryLimitInMB: '256',
  }) as Context;

function capture(): { logger: Logger; lines: () => Record<string, unknown>[] } {
  const out: string[] = [];
  const logger = new Logger({ serviceName: 'test' });
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  return {
    logger,
    lines: () =>
      out
        .join('')
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

afterEach(() => jest.restoreAllMocks());

test('every line of an invocation has its request id; the tenant id stays within its invocation', () => {
  const { logger, lines } = capture();
  startInvocation(logger, context('req-1'));
  forTenant(logger, 'tenant-a');
  logger.info('first');
  startInvocation(logger, context('req-2'));
  logger.info('second');
  const [first, second] = lines();
  expect(first).toMatchObject({
    message: 'first',
    function_request_id: 'req-1',
    tenantId: 'tenant-a',
  });
  expect(second).toMatchObject({ message: 'second', function_request_id: 'req-2' });
  expect(second.tenantId).toBeUndefined();
});
