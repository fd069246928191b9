import { createHash, createHmac } from 'node:crypto';

/** Temporary credentials of a role session. */
export interface SessionCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  /** When the session ends. */
  readonly expiration: Date;
}

/** Where a bucket is reached: the regional virtual-hosted endpoint, or a path-style test endpoint. */
export interface BucketEndpoint {
  readonly bucket: string;
  readonly region: string;
  /** Path-style endpoint (tests: moto). @default https://<bucket>.s3.<region>.amazonaws.com */
  readonly endpoint?: string;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';

const hmac = (key: Buffer | string, data: string) =>
  createHmac('sha256', key).update(data).digest();
const sha256Hex = (data: string) => createHash('sha256').update(data).digest('hex');

/** `20260101T120000Z` and `20260101`. */
function stamps(now: Date): { amzDate: string; day: string } {
  const amzDate = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return { amzDate, day: amzDate.slice(0, 8) };
}

/** The SigV4 signing key of a day, region and service. */
function signingKey(secret: string, day: string, region: string, service = 's3'): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), service), 'aws4_request');
}

/** RFC 3986 encoding as SigV4 wants it (`/` kept in paths when `keepSlash`). */
function encode(value: string, keepSlash = false): string {
  const encoded = encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return keepSlash ? encoded.replace(/%2F/g, '/') : encoded;
}

function target(endpoint: BucketEndpoint, key: string): { url: URL; path: string } {
  if (endpoint.endpoint) {
    const url = new URL(`${endpoint.endpoint.replace(/\/$/, '')}/${endpoint.bucket}`);
    return { url, path: `${url.pathname}/${encode(key, true)}` };
  }
  const url = new URL(`https://${endpoint.bucket}.s3.${endpoint.region}.amazonaws.com`);
  return { url, path: `/${encode(key, true)}` };
}

/** A form the client POSTs the file with: `url`, and `fields` to send before the file. */
export interface UploadForm {
  readonly url: string;
  readonly fields: Readonly<Record<string, string>>;
}

export interface UploadPolicy {
  readonly key: string;
  readonly contentType: string;
  readonly maxBytes: number;
  readonly expiresSeconds: number;
}

/**
 * A presigned POST (browser-based upload, SigV4): the policy allows exactly one key, one
 * content type and 1..maxBytes bytes, signed by the session, so S3 refuses anything else and
 * the session's own policy (the tenant prefix) decides whether the key may be written at all.
 */
export function presignedPost(
  credentials: SessionCredentials,
  endpoint: BucketEndpoint,
  policy: UploadPolicy,
  now: Date = new Date(),
): UploadForm {
  const { amzDate, day } = stamps(now);
  const credential = `${credentials.accessKeyId}/${day}/${endpoint.region}/s3/aws4_request`;
  const fields: Record<string, string> = {
    key: policy.key,
    'Content-Type': policy.contentType,
    'x-amz-algorithm': ALGORITHM,
    'x-amz-credential': credential,
    'x-amz-date': amzDate,
    'x-amz-security-token': credentials.sessionToken,
  };
  const document = {
    expiration: new Date(now.getTime() + policy.expiresSeconds * 1000).toISOString(),
    conditions: [
      { bucket: endpoint.bucket },
      ['eq', '$key', policy.key],
      ['eq', '$Content-Type', policy.contentType],
      ['content-length-range', 1, policy.maxBytes],
      { 'x-amz-algorithm': ALGORITHM },
      { 'x-amz-credential': credential },
      { 'x-amz-date': amzDate },
      { 'x-amz-security-token': credentials.sessionToken },
    ],
  };
  const encodedPolicy = Buffer.from(JSON.stringify(document)).toString('base64');
  const signature = hmac(
    signingKey(credentials.secretAccessKey, day, endpoint.region),
    encodedPolicy,
  ).toString('hex');
  const { url } = target(endpoint, policy.key);
  return {
    url: url.toString().replace(/\/$/, ''),
    fields: { ...fields, policy: encodedPolicy, 'x-amz-signature': signature },
  };
}

/** A presigned GET URL (SigV4 query signing) of one object, valid `expiresSeconds`. */
export function presignedGet(
  credentials: SessionCredentials,
  endpoint: BucketEndpoint,
  key: string,
  expiresSeconds: number,
  now: Date = new Date(),
): string {
  const { amzDate, day } = stamps(now);
  const { url, path } = target(endpoint, key);
  const scope = `${day}/${endpoint.region}/s3/aws4_request`;
  const query: Record<string, string> = {
    'X-Amz-Algorithm': ALGORITHM,
    'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD',
    'X-Amz-Credential': `${credentials.accessKeyId}/${scope}`,
    'X-Amz-Date': amzDate,
    'X-Amz-Expires': String(expiresSeconds),
    'X-Amz-Security-Token': credentials.sessionToken,
    'X-Amz-SignedHeaders': 'host',
  };
  const canonicalQuery = Object.keys(query)
    .sort()
    .map((k) => `${encode(k)}=${encode(query[k])}`)
    .join('&');
  const canonicalRequest = [
    'GET',
    path,
    canonicalQuery,
    `host:${url.host}\n`,
    'host',
    'UNSIGNED-PAYLOAD',
  ].join('\n');
  const stringToSign = [ALGORITHM, amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const signature = hmac(
    signingKey(credentials.secretAccessKey, day, endpoint.region),
    stringToSign,
  ).toString('hex');
  return `${url.protocol}//${url.host}${path}?${canonicalQuery}&X-Amz-Signature=${signature}`;
}

/** Credentials that sign a request: a role session, or long-term keys (no token). */
export interface SigningCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** A JSON POST to an AWS API, to sign: `path` already URI-encoded as sent. */
export interface ApiRequest {
  readonly url: URL;
  readonly service: string;
  readonly region: string;
  readonly body: string;
}

/**
 * The headers of a SigV4-signed JSON POST (header signing, as the AWS SDK signs API calls):
 * `host`, `content-type`, `x-amz-date`, `x-amz-security-token` (sessions) and `authorization`.
 * Paths are signed as sent, so they must contain only unreserved characters and `/`.
 */
export function signedHeaders(
  credentials: SigningCredentials,
  request: ApiRequest,
  now: Date = new Date(),
): Record<string, string> {
  const { amzDate, day } = stamps(now);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    host: request.url.host,
    'x-amz-date': amzDate,
    ...(credentials.sessionToken ? { 'x-amz-security-token': credentials.sessionToken } : {}),
  };
  const names = Object.keys(headers).sort();
  const canonicalRequest = [
    'POST',
    request.url.pathname,
    '',
    names.map((n) => `${n}:${headers[n]}\n`).join(''),
    names.join(';'),
    sha256Hex(request.body),
  ].join('\n');
  const scope = `${day}/${request.region}/${request.service}/aws4_request`;
  const stringToSign = [ALGORITHM, amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const signature = hmac(
    signingKey(credentials.secretAccessKey, day, request.region, request.service),
    stringToSign,
  ).toString('hex');
  return {
    ...headers,
    authorization:
      `${ALGORITHM} Credential=${credentials.accessKeyId}/${scope}, ` +
      `SignedHeaders=${names.join(';')}, Signature=${signature}`,
  };
}
