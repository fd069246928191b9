import { request } from 'node:https';

/** The fields of a CloudFormation custom-resource request used to answer it. */
export interface CustomResourceEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId?: string;
}

export interface CustomResourceResult {
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
}

/** Sends the response body to CloudFormation's pre-signed URL (injectable for tests). */
export type ResponseSender = (url: string, body: string) => Promise<void>;

/** PUT the body to the pre-signed S3 URL, as CloudFormation expects. */
export const putResponse: ResponseSender = (url, body) =>
  new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'PUT',
        headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode && res.statusCode < 300
            ? resolve()
            : reject(new Error(`CloudFormation response rejected: HTTP ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });

/** The part of the Lambda context the handler reads. */
export interface RemainingTime {
  getRemainingTimeInMillis(): number;
}

/** Time kept before the function's own timeout to send FAILED (and let the PUT finish). */
export const RESPONSE_MARGIN_MS = 15_000;

/** Rejects when the invocation is `marginMs` from its timeout; never without a context. */
function deadline(context: RemainingTime | undefined, marginMs: number) {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    if (!context) return;
    const ms = Math.max(0, context.getRemainingTimeInMillis() - marginMs);
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `no result ${Math.round(marginMs / 1000)} s before the function's timeout: ` +
              'reported FAILED so that the deployment does not wait; see the function log',
          ),
        ),
      ms,
    );
  });
  return { expired, clear: () => clearTimeout(timer) };
}

/**
 * Turns an `onEvent`-style function (return the result, throw on failure) into a Lambda-backed
 * custom resource handler that answers CloudFormation itself, so no provider framework function
 * (with its own role, logs and network) is needed. The response is always sent, so a deployment
 * never waits for CloudFormation's timeout: a failure is reported as FAILED with its message, and
 * so is a run still going `RESPONSE_MARGIN_MS` before the function's timeout. A handler reads its
 * settings inside `onEvent` (not at module load), so that a bad environment is a FAILED answer
 * too rather than an init error that CloudFormation never hears of.
 */
export function customResourceHandler<E extends CustomResourceEvent>(
  onEvent: (event: E) => Promise<CustomResourceResult>,
  send: ResponseSender = putResponse,
  marginMs: number = RESPONSE_MARGIN_MS,
): (event: E, context?: RemainingTime) => Promise<void> {
  return async (event, context) => {
    const common = {
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
    };
    let body: Record<string, unknown>;
    const limit = deadline(context, marginMs);
    try {
      const result = await Promise.race([onEvent(event), limit.expired]);
      body = {
        ...common,
        Status: 'SUCCESS',
        PhysicalResourceId: result.PhysicalResourceId,
        Data: result.Data ?? {},
      };
    } catch (error) {
      body = {
        ...common,
        Status: 'FAILED',
        Reason: (error instanceof Error ? error.message : String(error)).slice(0, 3000),
        PhysicalResourceId: event.PhysicalResourceId ?? event.LogicalResourceId,
      };
    } finally {
      limit.clear();
    }
    await send(event.ResponseURL, JSON.stringify(body));
  };
}

/** A value built on first use and kept; a failed build is retried on the next use. */
export function onFirstUse<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}
