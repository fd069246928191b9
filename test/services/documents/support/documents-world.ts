import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Pool } from 'pg';
import { Client } from 'pg';
import { runBootstrap } from '../../../../lambda/db-bootstrap/apply';
import { readServiceMigrations } from '../../../../lib/constructs/data/service-migrations';
import {
  accessTokenVerifier,
  remoteKeys,
} from '../../../../services/documents/src/auth/access-token';
import { readConfig } from '../../../../services/documents/src/config';
import { createPool } from '../../../../services/documents/src/db/database';
import { lambdaInvoker } from '../../../../services/documents/src/files/lambda-invoke';
import { TenantCredentials } from '../../../../services/documents/src/files/tenant-credentials';
import { routes } from '../../../../services/documents/src/routes';
import { createServer } from '../../../../services/documents/src/server';
import { TenantDirectory } from '../../../../services/documents/src/tenants/tenant-directory';
import {
  createRegistryTables,
  motoDocumentClient,
} from '../../../support/lifecycle/registry-tables';
import type { TestMoto } from '../../../support/moto';
import { startMoto } from '../../../support/moto';
import type { TestPostgres } from '../../../support/postgres';
import { startPostgres } from '../../../support/postgres';
import { CLIENT_ID, ISSUER, LocalPool } from './local-jwks';
import { LocalVending } from './local-vending';
import type { TestCertificates } from '../../../support/test-ca';
import { makeTestCertificates } from '../../../support/test-ca';

export const DB = 'documents';
export const TENANT_ROLE_ARN = 'arn:aws:iam::123456789012:role/prod-apse2-Storage-tenant-session';
export const VENDING_FUNCTION = 'prod-apse2-Storage-TenantSessionVending';

/** Everything the documents service runs against, and the service itself on a loopback port. */
export interface DocumentsWorld {
  readonly base: string;
  readonly pg: TestPostgres;
  readonly moto: TestMoto;
  readonly pool: LocalPool;
  /** The token-vending function behind a local Lambda Invoke API (its real core, moto STS). */
  readonly vending: LocalVending;
  readonly certificates: TestCertificates;
  /** The service's own database pool (app_user over TLS). */
  readonly servicePool: Pool;
  readonly registryTable: string;
  /** The files bucket, named for this world: test files share the run's moto_server. */
  readonly bucket: string;
  readonly doc: DynamoDBDocumentClient;
  readonly s3: S3Client;
  /** The environment the service was configured from (as ECS would set it). */
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

/** A superuser connection to the test database. */
export async function superuser(pg: TestPostgres): Promise<Client> {
  return pg.client(DB);
}

/** The service's database only: PostgreSQL with TLS, the bootstrap, the migration, the bootstrap. */
export async function startDocumentsDatabase(): Promise<{
  pg: TestPostgres;
  certificates: TestCertificates;
}> {
  const certificates = makeTestCertificates();
  const pg = await startPostgres({
    tls: {
      certFile: certificates.certFile,
      keyFile: certificates.keyFile,
      requiredFor: ['app_user'],
    },
  });
  await pg.createDatabase(DB);
  const login = async (user: string) => {
    const c = new Client({ host: '127.0.0.1', port: pg.port, user, database: DB });
    await c.connect();
    return c;
  };
  // As a first deployment does: the bootstrap creates the roles, applies the services'
  // migrations (services/*/migrations/) and protects the tables they create, in one run.
  await runBootstrap({
    allowMasterFallback: true,
    migrations: readServiceMigrations(),
    connect: {
      asBootstrapRole: () => login('platform_bootstrap'),
      asMaster: () => login(pg.user),
    },
  });

  return { pg, certificates };
}

/**
 * Starts PostgreSQL with TLS (app_user may connect only over TLS), applies the bootstrap, the
 * service's migration and the bootstrap again (as a deploy after a migration does), moto (S3,
 * DynamoDB, STS) with the bucket and a registry table, the local pool's JWKS, the token-vending
 * function behind a local Lambda Invoke API, and the service on
 * port 0 built from its real modules and configured from environment variables.
 */
export async function startDocumentsWorld(
  options: { cacheSeconds?: number; poolSize?: number } = {},
): Promise<DocumentsWorld> {
  const { pg, certificates } = await startDocumentsDatabase();
  const moto = await startMoto();
  const s3 = new S3Client(moto.clientConfig());
  const bucket = `platform-test-files-${randomUUID().slice(0, 8)}`;
  await s3.send(
    new CreateBucketCommand({
      Bucket: bucket,
      CreateBucketConfiguration: { LocationConstraint: 'ap-southeast-2' },
    }),
  );
  const { ddb, doc } = motoDocumentClient(moto);
  const tables = await createRegistryTables(ddb);
  const pool = await LocalPool.start();

  const env = {
    PORT: '8443',
    TOKEN_ISSUER: ISSUER,
    TOKEN_CLIENT_IDS: `${CLIENT_ID},tenantwebclient`,
    JWKS_URL: pool.jwksUrl,
    REGISTRY_TABLE: tables.registry,
    REGISTRY_CACHE_SECONDS: String(options.cacheSeconds ?? 0),
    DB_HOST: '127.0.0.1',
    DB_PORT: String(pg.port),
    DB_NAME: DB,
    DB_CA_FILE: certificates.caFile,
    DB_POOL_SIZE: String(options.poolSize ?? 10),
    FILES_BUCKET: bucket,
    TENANT_CREDENTIALS_FUNCTION: VENDING_FUNCTION,
    AWS_REGION: 'ap-southeast-2',
  };
  const config = readConfig(env);
  const serviceCredentials = moto.clientConfig().credentials;
  const vending = await LocalVending.start({
    moto,
    doc,
    registryTable: tables.registry,
    tenantRoleArn: TENANT_ROLE_ARN,
    issuer: ISSUER,
    clientIds: config.token.clientIds,
    jwksUrl: pool.jwksUrl,
    functionName: VENDING_FUNCTION,
    callerCredentials: serviceCredentials,
    region: config.files.region,
  });
  // Trust authentication on loopback: the password (in AWS an IAM token) is not checked here.
  const servicePool = createPool(config.database, async () => 'iam-token-not-checked-locally');
  const server: Server = createServer(
    config,
    routes({
      verify: accessTokenVerifier(config.token, remoteKeys(config.token.jwksUrl)),
      directory: new TenantDirectory(doc, {
        table: config.registry.table,
        cacheSeconds: config.registry.cacheSeconds,
      }),
      pool: servicePool,
      credentials: new TenantCredentials(
        lambdaInvoker({
          functionName: config.files.credentialsFunction,
          region: config.files.region,
          endpoint: vending.endpoint,
          credentials: async () => serviceCredentials,
        }),
      ),
      s3,
      files: { bucket, region: config.files.region, endpoint: moto.endpoint },
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    base,
    pg,
    moto,
    pool,
    vending,
    certificates,
    servicePool,
    registryTable: tables.registry,
    bucket,
    doc,
    s3,
    env,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await servicePool.end();
      await vending.stop();
      await pool.stop();
      await moto.stop();
      await pg.stop();
      rmSync(certificates.dir, { recursive: true, force: true });
    },
  };
}
