import type { SigningCredentials } from './sigv4';
import { signedHeaders } from './sigv4';

/** Lambda function names as the Invoke API takes them in its path (no ARN, no alias). */
export const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export interface LambdaTarget {
  /** The function's name (not its ARN: the name needs no encoding in the path). */
  readonly functionName: string;
  readonly region: string;
  /** The Lambda API. @default https://lambda.<region>.amazonaws.com (the VPC endpoint's name) */
  readonly endpoint?: string;
  /** The service's own credentials (its task role), fetched per call: the provider caches them. */
  readonly credentials: () => Promise<SigningCredentials>;
  readonly timeoutMs?: number;
}

/** The function failed or the API refused the call: `message` says which, never the payload. */
export class InvokeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvokeError';
  }
}

/**
 * Invokes a function synchronously (`RequestResponse`) through the Lambda Invoke API, signed with
 * SigV4 by the caller's credentials, and answers its JSON result. A function error
 * (`X-Amz-Function-Error`) or a non-2xx answer throws an InvokeError.
 */
export function lambdaInvoker(target: LambdaTarget): (payload: unknown) => Promise<unknown> {
  if (!FUNCTION_NAME.test(target.functionName)) {
    throw new InvokeError(
      `function name "${target.functionName}" is not a Lambda function name (give the name, not the ARN)`,
    );
  }
  const base = target.endpoint ?? `https://lambda.${target.region}.amazonaws.com`;
  const url = new URL(
    `${base.replace(/\/$/, '')}/2015-03-31/functions/${target.functionName}/invocations`,
  );
  return async (payload) => {
    const body = JSON.stringify(payload);
    const headers = signedHeaders(
      await target.credentials(),
      { url, service: 'lambda', region: target.region, body },
      new Date(),
    );
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(target.timeoutMs ?? 5_000),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new InvokeError(
        `Invoke ${target.functionName}: HTTP ${response.status} ${text.slice(0, 200)}`,
      );
    }
    const functionError = response.headers.get('x-amz-function-error');
    if (functionError) {
      throw new InvokeError(`Invoke ${target.functionName}: function error ${functionError}`);
    }
    return JSON.parse(text) as unknown;
  };
}
