import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  presignedGet,
  presignedPost,
  signedHeaders,
} from '../../../services/documents/src/files/sigv4';

type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: SourceData): Buffer =>
  typeof data === 'string'
    ? Buffer.from(data)
    : ArrayBuffer.isView(data)
      ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      : Buffer.from(data);

/** node:crypto as the SDK's Checksum interface (HMAC with a secret, SHA-256 without). */
class Sha256 {
  private readonly hash;
  constructor(secret?: SourceData) {
    this.hash = secret ? createHmac('sha256', bytes(secret)) : createHash('sha256');
  }
  update(data: SourceData) {
    this.hash.update(bytes(data));
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
}

const credentials = {
  accessKeyId: 'ASIAEXAMPLEKEY',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'FQoGZXIvYXdzE//session+token=',
  expiration: new Date('2026-12-02T00:15:00Z'),
};
const now = new Date('2026-12-01T23:59:30Z');
const endpoint = { bucket: 'logistics-prod-apse2-files', region: 'ap-southeast-2' };
const signer = new SignatureV4({
  credentials,
  region: endpoint.region,
  service: 's3',
  sha256: Sha256,
  uriEscapePath: false,
  applyChecksum: false,
});

/**
 * The service signs URLs with node:crypto only; these compare its signatures with the AWS SDK's
 * own SigV4 signer (what S3 verifies), for the same credentials, time and request.
 */
test('the presigned GET URL is the one the SDK signer makes', async () => {
  const key = 'tenants/tenant-a/documents/0b7d8a52-8c1e-4e57-9a3c-2b1f0f4f8e11';
  const ours = new URL(presignedGet(credentials, endpoint, key, 300, now));
  const host = `${endpoint.bucket}.s3.${endpoint.region}.amazonaws.com`;
  const sdk = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname: host,
      path: `/${key}`,
      // As @aws-sdk/s3-request-presigner does: the unsigned-payload header, hoisted to the query.
      headers: { host, 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' },
    },
    { expiresIn: 300, signingDate: now },
  );
  expect(ours.host).toBe(host);
  expect(ours.pathname).toBe(`/${key}`);
  expect(Object.fromEntries(ours.searchParams)).toEqual(sdk.query);
});

test('the upload policy is signed with the SigV4 key of its day, region and S3', async () => {
  const form = presignedPost(
    credentials,
    endpoint,
    {
      key: 'tenants/tenant-a/documents/x',
      contentType: 'image/png',
      maxBytes: 1024,
      expiresSeconds: 300,
    },
    now,
  );
  expect(form.url).toBe(`https://${endpoint.bucket}.s3.${endpoint.region}.amazonaws.com`);
  expect(form.fields['x-amz-signature']).toBe(
    await signer.sign(form.fields.policy, { signingDate: now }),
  );
  const policy = JSON.parse(Buffer.from(form.fields.policy, 'base64').toString('utf8'));
  expect(policy.expiration).toBe('2026-12-02T00:04:30.000Z');
  expect(policy.conditions).toContainEqual(['content-length-range', 1, 1024]);
  expect(policy.conditions).toContainEqual({ 'x-amz-security-token': credentials.sessionToken });
});

test('a Lambda Invoke call is signed as the SDK signs it (header signing, session token)', async () => {
  const url = new URL(
    'https://lambda.ap-southeast-2.amazonaws.com/2015-03-31/functions/prod-apse2-Vending/invocations',
  );
  const body = JSON.stringify({ token: 'eyJ.a.b' });
  const ours = signedHeaders(
    credentials,
    { url, service: 'lambda', region: 'ap-southeast-2', body },
    now,
  );
  const sdk = await new SignatureV4({
    credentials,
    region: 'ap-southeast-2',
    service: 'lambda',
    sha256: Sha256,
    applyChecksum: false,
  }).sign(
    {
      method: 'POST',
      protocol: 'https:',
      hostname: url.host,
      path: url.pathname,
      headers: { host: url.host, 'content-type': 'application/json' },
      body,
    },
    { signingDate: now },
  );
  expect(ours.authorization).toBe(sdk.headers.authorization);
  expect(ours.authorization).toContain('/20261201/ap-southeast-2/lambda/aws4_request');
  expect(ours['x-amz-security-token']).toBe(credentials.sessionToken);
  // Another body is another signature: the payload is signed.
  const other = signedHeaders(
    credentials,
    { url, service: 'lambda', region: 'ap-southeast-2', body: '{"token":"x"}' },
    now,
  );
  expect(other.authorization).not.toBe(ours.authorization);
});
