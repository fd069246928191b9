import { createHash, createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { STSClient } from '@aws-sdk/client-sts';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SignatureV4 } from '@smithy/signature-v4';
import type { JwtRules } from '../../../../lambda/shared/identity/jwt';
import { verifyJwt } from '../../../../lambda/shared/identity/jwt';
import { TenantRegistry } from '../../../../lambda/shared/tenant-registry/tenant-registry';
import { assumeTenantRole } from '../../../../lambda/tenant-credentials/assume-tenant-role';
import { vendCredentials } from '../../../../lambda/tenant-credentials/vend';
import type { TestMoto } from '../../../support/moto';

type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: SourceData): Buffer =>
  typeof data === 'string'
    ? Buffer.from(data)
    : ArrayBuffer.isView(data)
      ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      : Buffer.from(data);

/** node:crypto as the SDK's Checksum interface. */
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

export interface LocalVendingProps {
  readonly moto: TestMoto;
  readonly doc: DynamoDBDocumentClient;
  readonly registryTable: string;
  readonly tenantRoleArn: string;
  readonly issuer: string;
  readonly clientIds: readonly string[];
  readonly jwksUrl: string;
  readonly functionName: string;
  /** The only caller's credentials (the service's task role): other signatures get 403. */
  readonly callerCredentials: { accessKeyId: string; secretAccessKey: string };
  readonly region: string;
}

/**
 * The Lambda Invoke API of the token-vending function, on loopback: it checks the request's SigV4
 * signature with the AWS SDK's signer (403 otherwise, as Lambda answers) and runs the function's
 * real core, `vendCredentials`, with its real AssumeRole call (moto STS), its JWT verifier against
 * the local pool's JWKS and its registry read (moto DynamoDB). `requests` records every payload.
 */
export class LocalVending {
  private constructor(
    private readonly server: Server,
    readonly endpoint: string,
    readonly requests: unknown[],
  ) {}

  static async start(props: LocalVendingProps): Promise<LocalVending> {
    const sts = new STSClient(props.moto.clientConfig(props.region));
    const registry = new TenantRegistry(props.doc, { registry: props.registryTable, audit: '' });
    const signer = new SignatureV4({
      credentials: props.callerCredentials,
      region: props.region,
      service: 'lambda',
      sha256: Sha256,
      applyChecksum: false,
    });
    let keys: JwtRules['keys'] | undefined;
    const path = `/2015-03-31/functions/${props.functionName}/invocations`;
    const requests: unknown[] = [];
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        void (async () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const answer = (status: number, value: unknown, headers: Record<string, string> = {}) =>
            response
              .writeHead(status, { 'content-type': 'application/json', ...headers })
              .end(JSON.stringify(value));
          if (request.method !== 'POST' || request.url !== path) {
            answer(404, { message: `Function not found: ${request.url}` });
            return;
          }
          if (!(await signatureMatches(signer, request.headers, path, body))) {
            answer(403, { message: 'The request signature we calculated does not match' });
            return;
          }
          const payload: unknown = JSON.parse(body);
          requests.push(payload);
          try {
            keys ??= ((await (await fetch(props.jwksUrl)).json()) as { keys: JwtRules['keys'] })
              .keys;
            const result = await vendCredentials(payload, {
              verify: async (token) =>
                verifyJwt(token, {
                  issuer: props.issuer,
                  audiences: props.clientIds,
                  keys: keys!,
                  tokenUse: 'access',
                }),
              stateOf: async (id) => (await registry.get(id))?.lifecycleState,
              assumeTenantRole: (id) => assumeTenantRole(sts, props.tenantRoleArn, id),
            });
            answer(200, result);
          } catch (error) {
            answer(
              200,
              { errorType: 'Error', errorMessage: String(error) },
              { 'x-amz-function-error': 'Unhandled' },
            );
          }
        })();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return new LocalVending(server, endpoint, requests);
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** Re-signs the request's signed headers with the SDK's signer and compares the signatures. */
async function signatureMatches(
  signer: SignatureV4,
  headers: Record<string, string | string[] | undefined>,
  path: string,
  body: string,
): Promise<boolean> {
  const authorization = String(headers.authorization ?? '');
  const names = /SignedHeaders=([a-z0-9;-]+)/.exec(authorization)?.[1]?.split(';') ?? [];
  const amzDate = String(headers['x-amz-date'] ?? '');
  const when = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!when || !names.includes('host')) return false;
  const signed = Object.fromEntries(names.map((n) => [n, String(headers[n] ?? '')]));
  delete signed['x-amz-date'];
  delete signed['x-amz-security-token'];
  const [host, port] = signed.host.split(':');
  const expected = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: host,
      port: Number(port),
      path,
      headers: signed,
      body,
    },
    { signingDate: new Date(`${when[1]}-${when[2]}-${when[3]}T${when[4]}:${when[5]}:${when[6]}Z`) },
  );
  return expected.headers.authorization === authorization;
}
