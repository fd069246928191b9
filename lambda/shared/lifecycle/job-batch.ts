import type { Logger } from '@aws-lambda-powertools/logger';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { Refusal } from './refusal';
import type { LifecycleJob } from './rules';
import { parseJob } from './job-message';

/** A job the lifecycle refuses (nothing changed). The message fails, so it ends in the DLQ. */
export class JobRefused extends Error {
  override readonly name = 'JobRefused';
  constructor(readonly refusal: Refusal) {
    super(`${refusal.code}: ${refusal.message}`);
  }
}

/**
 * A job that checkpointed because its invocation ran short of time (logged as progress, not as an
 * error). With `continueLater` the job is sent again as a fresh message and this one deleted, so
 * the next invocation continues at once and a long job never exhausts the queue's receive count
 * (which would dead-letter, and alarm on, a job that is progressing); without it, or when that
 * send fails, the message is failed on purpose and its next delivery continues.
 */
export class JobInProgress extends Error {
  override readonly name = 'JobInProgress';
}

/**
 * Runs one job per SQS record and reports the failed ones (ReportBatchItemFailures): a
 * malformed or refused job and an engine error fail the message (retried, then dead-lettered
 * and alarmed); a duplicate of finished work succeeds.
 */
export async function runJobBatch(
  event: SQSEvent,
  type: LifecycleJob['type'],
  logger: Logger,
  run: (job: LifecycleJob) => Promise<string>,
  options: { readonly continueLater?: (body: string) => Promise<void> } = {},
): Promise<SQSBatchResponse> {
  const records = Array.isArray(event?.Records) ? event.Records : [];
  if (records.length === 0)
    logger.warn('event without SQS records ignored', { eventKeys: Object.keys(event ?? {}) });
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of records) {
    const messageId = record.messageId;
    const job = parseJob(record.body, type);
    if ('ok' in job) {
      logger.error(`${type} job refused: malformed message`, {
        messageId,
        code: job.code,
        field: job.details?.field,
        reason: job.message,
      });
      batchItemFailures.push({ itemIdentifier: messageId });
      continue;
    }
    try {
      const outcome = await run(job);
      logger.info(`${type} job done`, {
        messageId,
        tenantId: job.tenantId,
        archiveId: job.archiveId,
        outcome,
      });
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      const fields = {
        messageId,
        tenantId: job.tenantId,
        archiveId: job.archiveId,
        errorName: err.name,
        errorMessage: err.message,
      };
      if (error instanceof JobInProgress) {
        if (
          options.continueLater &&
          (await sentAgain(options.continueLater, record.body, logger))
        ) {
          logger.info(`${type} job paused, continues in a fresh message`, fields);
          continue;
        }
        logger.info(`${type} job paused, continues on its next delivery`, fields);
      } else if (error instanceof JobRefused)
        logger.error(`${type} job refused`, { ...fields, code: error.refusal.code });
      else
        logger.error(`${type} job failed`, { ...fields, code: (error as { code?: string }).code });
      batchItemFailures.push({ itemIdentifier: messageId });
    }
  }
  return { batchItemFailures };
}

async function sentAgain(
  send: (body: string) => Promise<void>,
  body: string,
  logger: Logger,
): Promise<boolean> {
  try {
    await send(body);
    return true;
  } catch (error) {
    logger.warn('could not re-send a paused job; its message is retried instead', {
      errorName: (error as Error).name,
    });
    return false;
  }
}
