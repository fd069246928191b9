import { FUNCTION_NAME } from './files/lambda-invoke';

/** The service's settings, read once from the environment at start and validated. */
export interface ServiceConfig {
  /** TCP port the server listens on. */
  readonly port: number;
  /** PEM files of the server's TLS certificate and key; absent: plain HTTP (local runs only). */
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
  /** The tenant users' pool: whose access tokens the service accepts. */
  readonly token: {
    readonly issuer: string;
    readonly clientIds: readonly string[];
    readonly jwksUrl: string;
  };
  /** The tenant registry (lifecycle state, plan, modules, settings). */
  readonly registry: { readonly table: string; readonly cacheSeconds: number };
  /** Aurora PostgreSQL, as `app_user` with IAM authentication over verified TLS. */
  readonly database: {
    readonly host: string;
    readonly port: number;
    readonly name: string;
    readonly user: string;
    /** PEM bundle of the CAs the server certificate must chain to (the RDS bundle). */
    readonly caFile: string;
    readonly poolSize: number;
  };
  /**
   * The file bucket, and the token-vending function whose tenant sessions sign upload and
   * download URLs (invoked with the caller's token; it tags the session with the token's tenant).
   */
  readonly files: {
    readonly bucket: string;
    readonly credentialsFunction: string;
    readonly region: string;
  };
}

/** Every variable the service reads, with what it means: the one place names are spelled. */
export const VARIABLES = {
  PORT: 'TCP port to listen on (1-65535)',
  TLS_CERT_FILE: 'PEM certificate file; set together with TLS_KEY_FILE',
  TLS_KEY_FILE: 'PEM private key file; set together with TLS_CERT_FILE',
  TOKEN_ISSUER: 'the tenant pool issuer, https://cognito-idp.<region>.amazonaws.com/<pool id>',
  TOKEN_CLIENT_IDS: 'comma-separated tenant app client ids (accepted client_id values)',
  JWKS_URL: 'https URL of the pool keys (default <TOKEN_ISSUER>/.well-known/jwks.json)',
  REGISTRY_TABLE: 'name of the tenant registry DynamoDB table',
  REGISTRY_CACHE_SECONDS: 'seconds a registry read is reused (0-300, default 30)',
  DB_HOST: 'Aurora cluster endpoint host name',
  DB_PORT: 'database TCP port (default 5432)',
  DB_NAME: 'database name',
  DB_USER: 'database user (default app_user)',
  DB_CA_FILE: 'PEM file of the RDS CA bundle the server certificate must chain to',
  DB_POOL_SIZE: 'connections per task (1-100, default 10)',
  FILES_BUCKET: 'name of the file bucket',
  TENANT_CREDENTIALS_FUNCTION:
    'name (not ARN) of the token-vending function that answers tenant session credentials',
  AWS_REGION: 'the AWS region (set by ECS)',
} as const;
type Variable = keyof typeof VARIABLES;

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`documents service: invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Environment = Readonly<Record<string, string | undefined>>;

const ISSUER = /^https:\/\/[a-z0-9.-]+(:\d+)?\/[\w-]+$/;
const CLIENT_IDS = /^[\w]+(,[\w]+)*$/;
const TABLE = /^[A-Za-z0-9_.-]{3,255}$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * Read and validate the configuration; every problem is reported at once, naming the variable
 * and the fix, so the process fails at start instead of on the first request.
 */
export function readConfig(env: Environment): ServiceConfig {
  const problems: string[] = [];
  const value = (name: Variable, pattern?: RegExp, fallback?: string): string => {
    const raw = nonEmpty(env[name]) ?? fallback;
    if (raw === undefined) {
      problems.push(`${name} is not set: set it to ${VARIABLES[name]}`);
      return '';
    }
    if (pattern && !pattern.test(raw)) {
      problems.push(`${name} is "${raw}": set it to ${VARIABLES[name]}`);
    }
    return raw;
  };
  const integer = (name: Variable, fallback: number, min: number, max: number): number => {
    const raw = nonEmpty(env[name]) ?? String(fallback);
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < min || n > max) {
      problems.push(`${name} is "${raw}": set it to ${VARIABLES[name]}`);
    }
    return n;
  };

  const port = integer('PORT', 8443, 1, 65535);
  const certFile = nonEmpty(env.TLS_CERT_FILE);
  const keyFile = nonEmpty(env.TLS_KEY_FILE);
  if ((certFile === undefined) !== (keyFile === undefined)) {
    const missing = certFile === undefined ? 'TLS_CERT_FILE' : 'TLS_KEY_FILE';
    problems.push(`${missing} is not set: set TLS_CERT_FILE and TLS_KEY_FILE together, or neither`);
  }
  const issuer = value('TOKEN_ISSUER', ISSUER);
  const config: ServiceConfig = {
    port,
    ...(certFile && keyFile ? { tls: { certFile, keyFile } } : {}),
    token: {
      issuer,
      clientIds: value('TOKEN_CLIENT_IDS', CLIENT_IDS).split(','),
      jwksUrl: value('JWKS_URL', /^https?:\/\/\S+$/, issuer && `${issuer}/.well-known/jwks.json`),
    },
    registry: {
      table: value('REGISTRY_TABLE', TABLE),
      cacheSeconds: integer('REGISTRY_CACHE_SECONDS', 30, 0, 300),
    },
    database: {
      host: value('DB_HOST', /^[A-Za-z0-9.-]+$/),
      port: integer('DB_PORT', 5432, 1, 65535),
      name: value('DB_NAME', /^[A-Za-z_][A-Za-z0-9_]*$/),
      user: value('DB_USER', /^[a-z_][a-z0-9_]*$/, 'app_user'),
      caFile: value('DB_CA_FILE'),
      poolSize: integer('DB_POOL_SIZE', 10, 1, 100),
    },
    files: {
      bucket: value('FILES_BUCKET', BUCKET),
      credentialsFunction: value('TENANT_CREDENTIALS_FUNCTION', FUNCTION_NAME),
      region: value('AWS_REGION', REGION),
    },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** Only what the container health check needs: the port and whether it is HTTPS. */
export function readListenConfig(env: Environment): Pick<ServiceConfig, 'port' | 'tls'> {
  const port = Number(env.PORT ?? '8443');
  const certFile = nonEmpty(env.TLS_CERT_FILE);
  const keyFile = nonEmpty(env.TLS_KEY_FILE);
  return certFile && keyFile ? { port, tls: { certFile, keyFile } } : { port };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
