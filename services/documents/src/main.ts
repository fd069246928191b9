// First: tracing patches http, pg and the AWS SDK as they load (see tracing.ts).
import { tracing } from './instrument';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { accessTokenVerifier, remoteKeys } from './auth/access-token';
import { readConfig } from './config';
import { createPool } from './db/database';
import { iamTokenSource } from './db/iam-token';
import { lambdaInvoker } from './files/lambda-invoke';
import { TenantCredentials } from './files/tenant-credentials';
import { logLine } from './log';
import { routes } from './routes';
import { createServer } from './server';
import { TenantDirectory } from './tenants/tenant-directory';

/** Composition root: validate the configuration, build the clients, listen, stop on SIGTERM. */
function main(): void {
  const config = readConfig(process.env);
  const region = config.files.region;
  const s3 = new S3Client({ region });
  const pool = createPool(config.database, iamTokenSource(config.database, region));
  const server = createServer(
    config,
    routes({
      verify: accessTokenVerifier(config.token, remoteKeys(config.token.jwksUrl)),
      directory: new TenantDirectory(DynamoDBDocumentClient.from(new DynamoDBClient({ region })), {
        table: config.registry.table,
        cacheSeconds: config.registry.cacheSeconds,
      }),
      pool,
      credentials: new TenantCredentials(
        lambdaInvoker({
          functionName: config.files.credentialsFunction,
          region,
          // The task role's credentials, from the SDK's default chain (cached and refreshed).
          credentials: () => s3.config.credentials(),
        }),
      ),
      s3,
      files: { bucket: config.files.bucket, region },
    }),
  );
  server.listen(config.port, () => {
    const scheme = config.tls ? 'https' : 'http';
    logLine('info', `listening on ${scheme} :${config.port}`);
  });
  // Stop taking requests, close the pool, send the last spans, exit.
  process.on('SIGTERM', () =>
    server.close(
      () => void Promise.allSettled([pool.end(), tracing?.shutdown()]).then(() => process.exit(0)),
    ),
  );
}

main();
