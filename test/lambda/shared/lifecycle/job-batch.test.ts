import type { SQSEvent } from 'aws-lambda';
import { JobInProgress, runJobBatch } from '../../../../lambda/shared/lifecycle/job-batch';
import { quietLogger } from '../../../support/lifecycle/registry-tables';

const body = JSON.stringify({
  type: 'archive',
  tenantId: 'acme',
  version: 3,
  archiveId: 'a1',
  claim: 2,
});
const event = { Records: [{ messageId: 'm1', body }] } as SQSEvent;
const paused = async (): Promise<string> => {
  throw new JobInProgress('checkpointed');
};

test('a paused job continues in a fresh message (same body) and its own message is deleted', async () => {
  const sent: string[] = [];
  const batch = await runJobBatch(event, 'archive', quietLogger(), paused, {
    continueLater: async (b) => void sent.push(b),
  });
  expect(batch).toEqual({ batchItemFailures: [] });
  expect(sent).toEqual([body]);
});

test('when that send fails, or without it, the message is failed so that its redelivery continues', async () => {
  const failing = await runJobBatch(event, 'archive', quietLogger(), paused, {
    continueLater: async () => {
      throw Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
    },
  });
  expect(failing).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
  const without = await runJobBatch(event, 'archive', quietLogger(), paused);
  expect(without).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
});

test('a job that fails (not paused) is never re-sent', async () => {
  const sent: string[] = [];
  const batch = await runJobBatch(
    event,
    'archive',
    quietLogger(),
    async () => {
      throw new Error('boom');
    },
    { continueLater: async (b) => void sent.push(b) },
  );
  expect(batch).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
  expect(sent).toEqual([]);
});
