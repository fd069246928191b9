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

/**
 * Turns an `onEvent`-style function (return the result, throw on failure) into a Lambda-backed
 * custom resource handler that answers CloudFormation itself, so no provider framework function
 * (with its own role, logs and network) is needed. A failure is reported as FAILED with its
 * message; the response is always sent, so a deployment never waits for a timeout.
 */
export function customResourceHandler<E extends CustomResourceEvent>(
  onEvent: (event: E) => Promise<CustomResourceResult>,
  send: ResponseSender = putResponse,
): (event: E) => Promise<void> {
  return async (event) => {
    const common = {
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
    };
    let body: Record<string, unknown>;
    try {
      const result = await onEvent(event);
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
    }
    await send(event.ResponseURL, JSON.stringify(body));
  };
}
